"""Long frames in series order: each series' rows together, in time order, series by id.

The demand series come sorted by unique_id and ds (forecasting/demand.py), and every
later step (numbering the steps, cutting windows, handing the series to statsforecast)
needs them so. Sorting a million rows by a string id again costs a tenth of a second each
time; checking the order costs one pass. Within series order, what belongs to one series
is a run of equal ids, so per-series figures are read off the runs instead of grouped.
"""

from __future__ import annotations

import numpy as np
import polars as pl


def in_series_order(frame: pl.DataFrame, time: str = "ds") -> pl.DataFrame:
    """``frame`` sorted by unique_id, then ``time``: itself when it already is (one pass
    to check), otherwise sorted."""
    return frame if is_in_series_order(frame, time=time) else frame.sort("unique_id", time)


def is_in_series_order(frame: pl.DataFrame, key: str = "unique_id", time: str = "ds") -> bool:
    """Whether ``frame`` is sorted by ``key``, then ``time`` (one pass over both columns)."""
    runs = series_runs(frame[key])
    ids = runs["unique_id"]
    # In order: each id in one run, the runs in ascending id order, and time rising
    # within each run (a fall is allowed only where a new run starts).
    rising = np.diff(frame[time].to_physical().to_numpy()) > 0
    rising[runs["first_row"].to_numpy()[1:] - 1] = True
    return bool(rising.all()) and bool((ids.slice(1) > ids.slice(0, max(len(ids) - 1, 0))).all())


def series_runs(ids: pl.Series) -> pl.DataFrame:
    """unique_id, first_row, rows: where each series of a frame in series order starts and
    how many rows it has."""
    return (
        ids.rle()
        .struct.unnest()
        .select(
            pl.col("value").alias("unique_id"),
            (pl.col("len").cum_sum() - pl.col("len")).cast(pl.Int64).alias("first_row"),
            pl.col("len").cast(pl.Int64).alias("rows"),
        )
    )


def rows_per_series(ids: pl.Series) -> pl.DataFrame:
    """unique_id, rows: each series' row count, read off its run when the frame keeps each
    series' rows together (counted by hashing the ids otherwise)."""
    runs = series_runs(ids)
    if runs["unique_id"].n_unique() == runs.height:
        return runs.select("unique_id", "rows")
    return ids.value_counts(name="rows").with_columns(pl.col("rows").cast(pl.Int64))


def step_numbers(runs: pl.DataFrame) -> np.ndarray:
    """1, 2, 3 ... along each series of ``runs`` (from :func:`series_runs`), row by row."""
    rows = runs["rows"].to_numpy()
    first = np.repeat(runs["first_row"].to_numpy(), rows)
    return np.arange(len(first), dtype=np.int64) - first + 1
