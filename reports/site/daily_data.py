"""The pre-aggregated daily cube a page embeds so the browser can recompute its metrics over
any date range and any combination of segments (reports/site/static/metric_filters.js).

One dataset per mart (and row filter) of the page's metrics: the daily sums of the additive
columns the metrics read, per day and combination of the segment values the mart carries
(device x source x country x visitor type for traffic; country x customer type for orders).
A row is kept only when one of its sums is not zero.

The cube is columnar and dictionary-encoded, so it stays small enough for the page: the
demo's traffic cross as JSON rows ({"day": ..., "device": ...}) was 0.9 MB, this form a
fraction of it. Each segment value is an index into the segment's `values`; each distinct
combination of indexes is a `cell`, stored once; a row is then a cell index and its sums,
and rows are ordered by day, so a day is stored once as the number of rows it has. A
column of whole numbers (cell indexes, sessions, orders) is written as text, one character
per number below 32 (`packed_integers`); money stays a JSON list. The demo's traffic cube
(39,000 rows of six counts) is about 330 KB so, against 620 KB as JSON lists.

A segment keeps its `MAX_SEGMENT_VALUES` busiest values (by the first column of the first
dataset split by it) and groups the rest as `OTHER`, the same on every dataset of the page:
the demo's 38 countries would otherwise make up most of a page.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np
import polars as pl

from reports.metric_catalogue import Metric
from warehouse.frames import query

MAX_SEGMENT_VALUES = 12
OTHER = "(other)"
# 64 characters that need no escaping in JSON or HTML: the first 32 end a number, the last
# 32 carry 5 more bits of it (most significant first).
PACKING_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def packed_integers(values: Sequence[int] | np.ndarray) -> str:
    """Non-negative whole numbers as text: each in 5-bit groups, most significant first,
    every group but the last from the upper half of `PACKING_ALPHABET`
    (reports/site/static/metric_filters.js unpacks it)."""
    numbers = np.asarray(values, dtype=np.uint64).reshape(-1)
    if numbers.size == 0:
        return ""
    alphabet = np.frombuffer(PACKING_ALPHABET.encode("ascii"), dtype=np.uint8)
    groups = np.ones(numbers.size, dtype=np.int64)  # characters per number
    rest = numbers >> np.uint64(5)
    while rest.any():
        groups += rest > 0
        rest >>= np.uint64(5)
    last = np.cumsum(groups) - 1  # where each number's last (least significant) group goes
    out = np.empty(last[-1] + 1, dtype=np.uint8)
    out[last] = alphabet[(numbers & np.uint64(31)).astype(np.int64)]
    rest, shift = numbers >> np.uint64(5), 1
    while (more := groups > shift).any():
        group = (rest[more] & np.uint64(31)).astype(np.int64)
        out[last[more] - shift] = alphabet[32 + group]
        rest, shift = rest >> np.uint64(5), shift + 1
    return out.tobytes().decode("ascii")


def _number(value):
    if value is None:
        return 0
    return int(value) if float(value).is_integer() else float(value)


def _column(sums: pl.Series) -> str | list:
    """A column of sums as packed text when every value is a non-negative whole number,
    else as a list (whole values as ints, missing ones as 0)."""
    values = sums.fill_null(0)
    # Money sums are decimals: polars casts each to its nearest double, what float() of
    # it gives. Integers and floats below 2^53 are told apart in bulk; other sums value
    # by value.
    if values.dtype.is_decimal():
        values = values.cast(pl.Float64)
    array = values.to_numpy() if values.dtype.is_numeric() else None
    if array is None or not (np.abs(array) < 2**53).all():
        numbers = [_number(v) for v in sums]
        if all(isinstance(v, int) and v >= 0 for v in numbers):
            return packed_integers(numbers)
        return numbers
    whole = array == np.floor(array)
    if whole.all() and (array >= 0).all():
        return packed_integers(array.astype(np.uint64))
    if values.dtype.is_integer():
        return array.tolist()
    return [int(v) if w else v for v, w in zip(array.tolist(), whole.tolist(), strict=True)]


def dataset_key(metric: Metric) -> str:
    """The embedded dataset a metric is evaluated over: its mart and its row filter."""
    return metric.table if not metric.rows else f"{metric.table} where {metric.rows}"


def _value(column: str) -> str:
    return f"coalesce({column}, '(unknown)')"


def _busiest(con, metric: Metric, column: str, measure: str) -> list[str]:
    where = f" where {metric.rows}" if metric.rows else ""
    frame = query(
        con,
        f"select {_value(column)} as value from {metric.mart.relation}{where} group by 1"
        f" having sum({measure}) > 0 order by sum({measure}) desc, 1"
        f" limit {MAX_SEGMENT_VALUES}",
    )
    return frame["value"].to_list()


def _cube(
    con, metric: Metric, columns: Sequence[str], kept: dict[str, list[str]]
) -> dict[str, object]:
    """The rows of one dataset, grouped by day and the kept value (or OTHER) of each segment."""
    dims = list(kept)
    parameters = {f"kept_{i}": kept[name] for i, name in enumerate(dims)}
    keys = [
        f"if(list_contains($kept_{i}, {_value(column)}), {_value(column)}, '{OTHER}') as d{i}"
        for i, column in enumerate(metric.mart.segments[name] for name in dims)
    ]
    # Money is exact cents in the marts: rounding the sum to cents drops float noise
    # (1234.5600000000002) from the page and changes no total.
    sums = ", ".join(f"round(sum({c}), 2) as {c}" for c in columns)
    nonzero = " + ".join(f"sum(abs({c}))" for c in columns)
    where = f" where {metric.rows}" if metric.rows else ""
    frame = query(
        con,
        f"select {', '.join(['day', *keys])}, {sums} from {metric.mart.relation}{where} group by all"
        f" having {nonzero} > 0 order by all",
        parameters,
    )
    values = {name: frame[f"d{i}"].unique().sort().to_list() for i, name in enumerate(dims)}
    if frame.is_empty():
        return {"first": None, "days": 0, "values": values, "cells": [], "per_day": []}
    first = frame["day"].min()
    days = (frame["day"].max() - first).days + 1
    cells, row_cells = _cells(frame, values)
    offsets = (frame["day"] - first).dt.total_days().to_numpy()
    return {
        "first": first.isoformat(),
        "days": days,
        "values": values,
        "cells": cells,
        "per_day": np.bincount(offsets, minlength=days).tolist(),
        "cell": packed_integers(row_cells),
        "sums": [_column(frame[c]) for c in columns],
    }


def _cells(frame: pl.DataFrame, values: dict[str, list[str]]) -> tuple[list[list[int]], np.ndarray]:
    """The distinct combinations of value indexes (`d0`, `d1`, ... of `frame`, each an index
    into its segment's `values`), numbered in the order of the rows they first appear in,
    and each row's combination number."""
    if not values:  # no segment: one cell, every row in it
        return [[]], np.zeros(frame.height, dtype=np.int64)
    indexes = np.column_stack(
        [
            frame[f"d{i}"]
            .replace_strict(kept, list(range(len(kept))), return_dtype=pl.Int64)
            .to_numpy()
            for i, kept in enumerate(values.values())
        ]
    )
    _distinct, first_rows, inverse = np.unique(
        indexes, axis=0, return_index=True, return_inverse=True
    )
    appearance = np.argsort(first_rows)
    number = np.empty(appearance.size, dtype=np.int64)
    number[appearance] = np.arange(appearance.size)
    return indexes[first_rows[appearance]].tolist(), number[inverse.reshape(-1)]


def daily_datasets(con: duckdb.DuckDBPyConnection, metrics: Sequence[Metric]) -> dict:
    """The datasets of `metrics` as plain JSON-ready dicts, keyed by `dataset_key`.

    Each dataset: `columns` (the additive columns summed), `dims` (the segment names it is
    split by, in the order of a cell's indexes), `values` (per segment, the values an index
    names), `first` (first day) and `days` (days from it), `cells` (the distinct
    combinations of value indexes), `per_day` (rows on each day, in day order), then per
    row `cell` (its cell index) and `sums[column][row]`; `cell` and each column of whole
    numbers are packed text (`packed_integers`).
    """
    datasets: dict[str, dict] = {}
    for metric in metrics:
        key = dataset_key(metric)
        columns = tuple(dict.fromkeys([*datasets.get(key, {}).get("columns", ()), *metric.columns]))
        datasets[key] = {"table": metric.table, "rows": metric.rows, "columns": columns}
    kept: dict[str, list[str]] = {}
    for key, dataset in datasets.items():
        metric = next(m for m in metrics if dataset_key(m) == key)
        columns = dataset["columns"]
        for name, column in metric.mart.segments.items():
            if name not in kept:
                kept[name] = _busiest(con, metric, column, columns[0])
        own = {name: kept[name] for name in metric.mart.segments}
        dataset["dims"] = list(own)
        dataset.update(_cube(con, metric, columns, own))
    return datasets
