"""The load test's parts: seeding, server processes, wrk runs, the measured run, checks and figures.

`bench/loadtest.py` runs them; see its docstring for what is measured and the targets.
"""
