"""Warehouse access, the leaf every layer reads and writes DuckDB through: connections,
transactions, queries into polars frames, frame writes and a Markdown preview of a frame."""
