"""Money as people read it: whole pence shown as pounds."""

from __future__ import annotations


def pounds(pence: int) -> str:
    """``123456`` -> ``£1,234.56``; a negative amount (a concession, a credit) as ``-£3.00``."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}£{whole:,}.{part:02d}"
