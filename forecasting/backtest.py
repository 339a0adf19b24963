"""Rolling-origin backtest of every candidate model on every SKU.

The series skip non-trading and stockout days, so the models see a plain step index per
series and a window is ``horizon`` consecutive observed days. Windows are back to back and
numbered from the oldest (1) to the latest (``n_windows``), the latest ending on the
series' last observed day. A series gets as many of the latest windows as its history
allows while keeping at least ``min_train`` observations before the first one: a product
launched six weeks ago is still judged on its latest window rather than dropped.

Per model family and per number of windows there is one vectorized cross-validation call
over all the SKUs that share it (at most ``n_windows`` calls per family; no loop over SKUs).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from forecasting import engine
from forecasting.forecast_grid import KEYS, ForecastGrid
from forecasting.models import family_models
from forecasting.series_order import in_series_order, series_runs, step_numbers


def step_frame(series: pl.DataFrame) -> pl.DataFrame:
    """Number each series' observations 1, 2, 3 ...: the time index the models see.

    Args:
        series: unique_id, ds (Date), y; one row per observed day.

    Returns:
        unique_id, ds (Int64 step), y, day (the Date of the step), sorted by unique_id, ds.
    """
    ordered = in_series_order(series)
    steps = step_numbers(series_runs(ordered["unique_id"]))
    return ordered.select(
        pl.col("unique_id").cast(pl.String),
        pl.Series("ds", steps, dtype=pl.Int64),
        pl.col("y").cast(pl.Float64),
        pl.col("ds").alias("day"),
    )


def windows_per_series(
    steps: pl.DataFrame, horizon: int, n_windows: int, min_train: int
) -> pl.DataFrame:
    """unique_id, observations, windows: the latest windows each series can be judged on (>= 0)."""
    return (
        steps.group_by("unique_id")
        .agg(pl.len().cast(pl.Int64).alias("observations"))
        .with_columns(
            ((pl.col("observations") - min_train) // horizon)
            .clip(0, n_windows)
            .cast(pl.Int64)
            .alias("windows")
        )
    )


def window_starts(
    steps: pl.DataFrame, horizon: int, n_windows: int, min_train: int
) -> pl.DataFrame:
    """unique_id, window, first_step: the first step of every backtest window of every series."""
    return (
        windows_per_series(steps, horizon, n_windows, min_train)
        .filter(pl.col("windows") > 0)
        .with_columns(
            pl.int_ranges(n_windows - pl.col("windows") + 1, n_windows + 1).alias("window")
        )
        .explode("window")
        .select(
            "unique_id",
            pl.col("window").cast(pl.Int64),
            (pl.col("observations") - (n_windows - pl.col("window") + 1) * horizon + 1).alias(
                "first_step"
            ),
        )
    )


def cross_validate_grid(
    series: pl.DataFrame,
    candidates: Sequence[str],
    horizon: int,
    n_windows: int,
    min_train: int,
    season_steps: int,
    cluster: engine.Cluster | None = None,
) -> ForecastGrid:
    """Forecast each backtest window of each series with every candidate model.

    Args:
        series: unique_id, ds (Date), y (as from :func:`forecasting.demand.demand_series`).
        candidates: model names (keys of ``forecasting.models.CANDIDATES``).
        horizon: steps per window (the forecast horizon being judged).
        n_windows: windows wanted per series.
        min_train: fewest observations before a series' first window.
        season_steps: season length in steps.
        cluster: run statsforecast on this cluster (None: in process).

    Returns:
        A grid (forecasting/forecast_grid.py): one row per series, window (1 = oldest ..
        n_windows = latest) and step (1..horizon) with unique_id, window, step, day and y,
        sorted so, and one column per model as statsforecast returns it (clipped at 0: a
        negative forecast is never used; NaN where the model failed to forecast). Series
        too short for one window are absent.
    """
    if min_train < 1:
        raise ValueError(f"min_train must be at least 1 observation, got {min_train}")
    steps = step_frame(series)
    windows = windows_per_series(steps, horizon, n_windows, min_train).filter(pl.col("windows") > 0)
    families = family_models(candidates, season_steps).values()
    aliases = sorted(repr(model) for models in families for model in models)
    parts = []
    for count in sorted(windows["windows"].unique().to_list()):
        # The series with ``count`` windows, still in series order (steps is sorted by
        # unique_id, ds): one frame for every family's call.
        members = windows.filter(pl.col("windows") == count)["unique_id"]
        frame = steps.filter(pl.col("unique_id").is_in(members.implode())).select(
            "unique_id", "ds", "y"
        )
        raws = [
            engine.cross_validation(models, frame, horizon, count, cluster) for models in families
        ]
        parts.append(_numbered(_side_by_side(raws), aliases, horizon, n_windows))
    if not parts:
        return ForecastGrid(
            pl.DataFrame(schema=_SCHEMA).select(KEYS), aliases, np.empty((0, len(aliases)))
        )
    wide = (
        pl.concat(parts)
        .join(steps.select("unique_id", "ds", "day"), on=["unique_id", "ds"])
        .sort("unique_id", "window", "step")
    )
    return ForecastGrid(
        wide.select(KEYS),
        aliases,
        np.ascontiguousarray(wide.select(aliases).to_numpy(), dtype=np.float64),
    )


_SCHEMA = {
    "unique_id": pl.String,
    "window": pl.Int64,
    "step": pl.Int64,
    "day": pl.Date,
    "y": pl.Float64,
    "model": pl.String,
    "forecast": pl.Float64,
}
_RAW_KEYS = ["unique_id", "ds", "cutoff"]


def _side_by_side(raws: list[pl.DataFrame]) -> pl.DataFrame:
    """The families' cross-validation frames of the same series as one: their model
    columns beside each other on the rows (unique_id, ds, cutoff) they share."""
    wide = raws[0]
    for raw in raws[1:]:
        models = raw.drop(*_RAW_KEYS, "y")
        if raw.select(_RAW_KEYS).equals(wide.select(_RAW_KEYS)):
            wide = wide.hstack(models)  # the rows in the same order, as in this process
        else:
            wide = wide.join(raw.drop("y"), on=_RAW_KEYS, how="left", maintain_order="left")
    return wide


def _numbered(raw: pl.DataFrame, aliases: list[str], horizon: int, n_windows: int) -> pl.DataFrame:
    """statsforecast's wide cross-validation frame with numbered windows and steps."""
    last = pl.col("cutoff").max().over("unique_id")
    return (
        raw.with_columns(
            pl.col("unique_id").cast(pl.String),
            pl.col("ds").cast(pl.Int64),
            pl.col("cutoff").cast(pl.Int64),
        )
        .with_columns(
            (n_windows - (last - pl.col("cutoff")) // horizon).alias("window"),
            (pl.col("ds") - pl.col("cutoff")).alias("step"),
        )
        # A model that cannot forecast a series (too short for its season or window) returns
        # NaN: it stays missing so the evaluation excludes the model for that SKU; a zero
        # in its place would score as a real forecast of no demand.
        .with_columns(pl.col(aliases).fill_nan(None).clip(lower_bound=0.0))
        .select("unique_id", "ds", "window", "step", "y", *aliases)
    )
