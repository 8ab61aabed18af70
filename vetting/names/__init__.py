"""Building blocks of name screening: normalisation, comparison keys, part alignment, index."""
