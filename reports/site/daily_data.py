"""The pre-aggregated daily sums a page embeds so the browser can recompute its metrics over
any date range and segment (reports/site/static/metric_filters.js).

One dataset per mart (and row filter) of the page's metrics: the daily sums of the additive
columns the metrics read, once for all rows and once per value of each segment the mart
carries (one segment at a time: device, source, country or visitor type). The page thus
embeds days x segment values rows, not the cross product of every segment: for the demo's
traffic about 12,000 rows against 41,700 for the full cube. A segment keeps its
`MAX_SEGMENT_VALUES` busiest values (by the first column of the first dataset split by it)
and groups the rest as `OTHER`, the same on every dataset of the page: the demo's 38
countries would otherwise make up two thirds of a page.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from reports.metric_catalogue import Metric
from warehouse.frames import query

MAX_SEGMENT_VALUES = 12
OTHER = "(other)"


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


def _sums(
    con, metric: Metric, columns: Sequence[str], by: str | None, kept: list[str] | None
) -> dict:
    group, parameters = "day", {}
    if by is not None:
        group = f"day, if(list_contains($kept, {_value(by)}), {_value(by)}, '{OTHER}') as value"
        parameters["kept"] = kept
    # Money is exact cents in the marts: rounding the sum to cents drops float noise
    # (1234.5600000000002) from the page and changes no total.
    sums = ", ".join(f"round(sum({c}), 2) as {c}" for c in columns)
    nonzero = " + ".join(f"sum(abs({c}))" for c in columns)
    where = f" where {metric.rows}" if metric.rows else ""
    frame = query(
        con,
        f"select {group}, {sums} from {metric.mart.relation}{where} group by all"
        f" having {nonzero} > 0 order by all",
        parameters,
    )
    if frame.is_empty():
        return {"first": None, "days": 0, "values": [], "sums": []}
    first = frame["day"].min()
    days = (frame["day"].max() - first).days + 1
    offsets = [(d - first).days for d in frame["day"]]
    values = sorted(set(frame["value"])) if by is not None else [None]
    index = {v: i for i, v in enumerate(values)}
    rows = [index[v] for v in frame["value"]] if by is not None else [0] * frame.height
    # Dense: sums[value][column][day offset], zeros included (a "0" is shorter than a row's
    # day and value).
    sums = [[[0] * days for _ in columns] for _ in values]
    for j, column in enumerate(columns):
        for row, offset, amount in zip(rows, offsets, frame[column], strict=True):
            sums[row][j][offset] = _number(amount)
    return {
        "first": first.isoformat(),
        "days": days,
        "values": values if by is not None else [],
        "sums": sums,
    }


def _number(value):
    if value is None:
        return 0
    return int(value) if float(value).is_integer() else float(value)


def daily_datasets(con: duckdb.DuckDBPyConnection, metrics: Sequence[Metric]) -> dict:
    """The datasets of `metrics` as plain JSON-ready dicts, keyed by `dataset_key`.

    Each dataset: `columns` (the additive columns summed), `total` and `segments` (per
    segment name). Each of those: the `first` day and the number of `days` from it, the
    segment `values` (none for the total) and `sums[value][column][day offset]`, zero on
    days without rows.
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
        dataset["total"] = _sums(con, metric, columns, None, None)
        dataset["segments"] = {}
        for name, column in metric.mart.segments.items():
            if name not in kept:
                kept[name] = _busiest(con, metric, column, columns[0])
            dataset["segments"][name] = _sums(con, metric, columns, column, kept[name])
    return datasets
