"""Data quality page (quality.html): checks, export freshness, row reconciliation, quarantine."""
