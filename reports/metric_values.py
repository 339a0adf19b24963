"""Metric values from the warehouse, by the catalogue's definitions (reports.metric_catalogue):
over a date range and, optionally, one segment of the metric's mart."""

from __future__ import annotations

from datetime import date

import duckdb

from reports.metric_catalogue import CATALOGUE, Metric, metric_sql
from warehouse.frames import query


def _where(metric: Metric, first: date | None, last: date | None, segment) -> tuple[str, dict]:
    clauses, parameters = [], {}
    if metric.rows:
        clauses.append(f"({metric.rows})")
    time = metric.mart.time_column
    if first is not None:
        clauses.append(f"{time} >= $first")
        parameters["first"] = first
    if last is not None:
        clauses.append(f"{time} <= $last")
        parameters["last"] = last
    if segment is not None:
        name, value = segment
        column = metric.mart.segments[name]
        clauses.append(f"{column} = $segment_value")
        parameters["segment_value"] = value
    return (" where " + " and ".join(clauses)) if clauses else "", parameters


def metric_value(
    con: duckdb.DuckDBPyConnection,
    name: str,
    first: date | None = None,
    last: date | None = None,
    segment: tuple[str, str] | None = None,
) -> float | int | None:
    """One metric of the catalogue from `first` to `last` (both included; None: unbounded).

    Args:
        con: open connection to the warehouse.
        name: the metric's name in `CATALOGUE`.
        first: first day, or None for the mart's first.
        last: last day, or None for the mart's last.
        segment: (segment name, value), e.g. ('device', 'mobile'); the metric's mart must
            carry that segment (`Mart.segments`).

    Returns:
        The value; None when its denominator is zero (or, for a sum, the mart has no rows).
    """
    metric = CATALOGUE[name]
    where, parameters = _where(metric, first, last, segment)
    return query(
        con, f"select {metric_sql(metric)} as v from {metric.mart.relation}{where}", parameters
    ).item()


def metric_values(
    con: duckdb.DuckDBPyConnection,
    names: tuple[str, ...],
    first: date | None = None,
    last: date | None = None,
) -> dict[str, float | int | None]:
    """Several metrics of the catalogue over the same days (see `metric_value`)."""
    return {name: metric_value(con, name, first, last) for name in names}
