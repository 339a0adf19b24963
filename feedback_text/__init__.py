"""What customers write: a sentiment model learned from the shop's own ratings, themes
found in the texts with a stable identity from run to run, where and when each theme is
said, and alerts when a theme's share of negative texts rises beyond its usual range.

No Dagster here: polars frames and plain arrays in, polars frames out
(assets/feedback_text.py writes them to the marts).
"""
