"""Charges: quotes from rate cards (pure), invoices and credit notes (persisted)."""
