"""Data protection: retention purge, subject access export, rectification, privacy notice."""
