"""Concurrency pools. DuckDB allows one writer process, so every step that opens the
warehouse (writers, checks and report readers alike) shares the pool `duckdb`, limited to
one by `dagster.yaml` (`concurrency: pools: default_limit: 1`)."""

DUCKDB_POOL = "duckdb"
