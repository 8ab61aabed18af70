"""The screening evaluation set's generator: invented flagged names, their variants, ordinary names.

`bench/make_screening_eval.py` runs it and writes the set to bench/data/screening_eval.
"""
