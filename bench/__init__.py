"""Measurements of orderpulse on synthetic stores (`make bench`, `orderpulse-bench`).

stores.py generates and caches the stores, meter.py meters each Dagster step, reference.py
times DuckDB and statsforecast alone on the same inputs, run.py runs the stages and
report.py prints the table and the comparison with the previous run.
"""
