"""vetting package."""
