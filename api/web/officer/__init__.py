"""The officer console, one controller per area (queue, cases, flagged list, venues)."""
