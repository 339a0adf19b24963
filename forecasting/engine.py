"""Where statsforecast runs: in this process, or on a Dask cluster through fugue.

One function per statsforecast entry point, each one vectorized call over all the series
it is given. Without a Dask address the frame stays polars and statsforecast runs with
``n_jobs=1``: forking worker processes after DuckDB or polars have started threads risks a
deadlock on this stack, and for the fast models one process is quicker anyway. With an
address (settings forecasting.dask_address, e.g. ``tcp://scheduler:8786``) the series are
split into partitions by ``unique_id`` and fugue runs the same models on the cluster's
workers; the results match the local engine (tests/forecasting/test_dask_engine.py).

Statsforecast's own time is measured here (``STATSFORECAST_SECONDS``) so a benchmark can
report which share of a run is model fitting and which is our data handling.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import polars as pl
from statsforecast import StatsForecast

# Wall seconds spent inside statsforecast calls in this process, by entry point.
STATSFORECAST_SECONDS: dict[str, float] = {"cross_validation": 0.0, "forecast": 0.0}


def _run(
    kind: str, models: list[Any], frame: pl.DataFrame, dask_address: str | None, **kwargs
) -> pl.DataFrame:
    engine = StatsForecast(models=models, freq=1, n_jobs=1)
    started = time.perf_counter()
    try:
        if dask_address is None:
            return getattr(engine, kind)(df=frame, **kwargs)
        return _on_dask(engine, kind, frame, dask_address, **kwargs)
    finally:
        STATSFORECAST_SECONDS[kind] += time.perf_counter() - started


def _on_dask(
    engine: StatsForecast, kind: str, frame: pl.DataFrame, dask_address: str, **kwargs
) -> pl.DataFrame:
    import dask.dataframe as dd
    from dask.distributed import Client

    with Client(dask_address, set_as_default=True) as client:
        workers = max(1, len(client.scheduler_info()["workers"]))
        pandas_frame = frame.to_pandas()
        pandas_frame["unique_id"] = pandas_frame["unique_id"].astype(str)
        distributed = dd.from_pandas(
            pandas_frame, npartitions=min(frame["unique_id"].n_unique(), 2 * workers)
        )
        result = getattr(engine, kind)(df=distributed, **kwargs).compute()
    return pl.from_pandas(result.reset_index(drop=True))


def cross_validation(
    models: list[Any],
    frame: pl.DataFrame,
    horizon: int,
    n_windows: int,
    dask_address: str | None = None,
) -> pl.DataFrame:
    """Rolling-origin cross-validation: ``n_windows`` back-to-back windows of ``horizon`` steps.

    Args:
        models: unfitted statsforecast models (one family).
        frame: unique_id (String), ds (Int64 step), y; every series longer than
            ``horizon * n_windows``.
        horizon: steps per window; windows do not overlap (step size = horizon).
        n_windows: windows per series, the last ending at the series' last step.
        dask_address: Dask scheduler address, or None for this process.

    Returns:
        unique_id, ds, cutoff, y and one column per model alias, as statsforecast returns it.
    """
    return _run(
        "cross_validation",
        models,
        frame,
        dask_address,
        h=horizon,
        n_windows=n_windows,
        step_size=horizon,
    )


def forecast(
    models: list[Any],
    frame: pl.DataFrame,
    horizon: int,
    levels: Sequence[int],
    dask_address: str | None = None,
) -> pl.DataFrame:
    """Forecast ``horizon`` steps after each series' end with prediction intervals.

    Args:
        models: unfitted statsforecast models.
        frame: unique_id (String), ds (Int64 step), y.
        horizon: steps ahead.
        levels: interval levels in percent; none: the mean only.
        dask_address: Dask scheduler address, or None for this process.

    Returns:
        unique_id, ds and per model alias the mean and, per level, ``<alias>-lo-<level>`` /
        ``<alias>-hi-<level>`` columns.
    """
    return _run("forecast", models, frame, dask_address, h=horizon, level=list(levels) or None)
