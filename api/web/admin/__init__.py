"""Administrators' pages (users and API tokens)."""
