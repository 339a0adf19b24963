"""Sales page (sales.html): weekly sales, the last 28 days against the 28 before, movers."""
