"""Reference data files for name screening (CSV and text)."""
