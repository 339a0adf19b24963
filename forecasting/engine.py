"""Where statsforecast runs: in this process, or on a Dask or Ray cluster through fugue.

One function per statsforecast entry point, each one vectorized call over all the series
it is given. Locally (settings forecasting.engine = "local") statsforecast's per-series
driver runs on the frame's arrays in this process, one core (forecasting/local_engine.py):
forking worker processes after DuckDB or polars have started threads risks a deadlock on
this stack, and for the fast models one process is quicker anyway. On a cluster (engine "dask" or "ray", forecasting.cluster_address) the
series go to the cluster as a pandas frame, fugue partitions them by ``unique_id`` and
runs the same models on the cluster's workers; the results match the local engine
(tests/forecasting/test_dask_engine.py, test_ray_engine.py).

Statsforecast's own time is measured here (``STATSFORECAST_SECONDS``, wall, and
``STATSFORECAST_CPU_SECONDS``, CPU of the process) so a benchmark can report which share
of a run is model fitting and which is our data handling.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl
from statsforecast import StatsForecast

from config.settings import ForecastingSettings
from forecasting import local_engine

# Wall seconds spent inside statsforecast calls in this process, by entry point.
STATSFORECAST_SECONDS: dict[str, float] = {"cross_validation": 0.0, "forecast": 0.0}
# The same calls' CPU seconds of this process.
STATSFORECAST_CPU_SECONDS: dict[str, float] = {"cross_validation": 0.0, "forecast": 0.0}


@dataclass(frozen=True)
class Cluster:
    """A cluster statsforecast runs on: Dask (``address`` of its scheduler, e.g.
    ``tcp://scheduler:8786``) or Ray (``address`` as ``ray.init`` takes it, e.g.
    ``ray://head:10001`` or ``auto``; None: the Ray this process already started, or a new
    local one)."""

    engine: Literal["dask", "ray"]
    address: str | None = None


def cluster_of(settings: ForecastingSettings) -> Cluster | None:
    """The cluster the settings name, or None to run in this process."""
    if settings.engine == "local":
        return None
    return Cluster(settings.engine, settings.cluster_address)


def _run(
    kind: str,
    models: list[Any],
    frame: pl.DataFrame,
    cluster: Cluster | None,
    local: Callable[[], pl.DataFrame],
    **kwargs,
) -> pl.DataFrame:
    """``local()`` in this process, else statsforecast's ``kind`` with ``kwargs`` on the
    cluster; the time it takes counted as statsforecast's."""
    started, cpu = time.perf_counter(), time.process_time()
    try:
        if cluster is None:
            return local()
        engine = StatsForecast(models=models, freq=1, n_jobs=1)
        if cluster.engine == "ray":
            return _on_ray(engine, kind, frame, cluster.address, **kwargs)
        return _on_dask(engine, kind, frame, cluster.address, **kwargs)
    finally:
        STATSFORECAST_SECONDS[kind] += time.perf_counter() - started
        STATSFORECAST_CPU_SECONDS[kind] += time.process_time() - cpu


def _pandas(frame: pl.DataFrame):
    pandas_frame = frame.to_pandas()
    pandas_frame["unique_id"] = pandas_frame["unique_id"].astype(str)
    return pandas_frame


def _on_dask(
    engine: StatsForecast, kind: str, frame: pl.DataFrame, address: str | None, **kwargs
) -> pl.DataFrame:
    import dask.dataframe as dd
    from dask.distributed import Client

    with Client(address, set_as_default=True) as client:
        workers = max(1, len(client.scheduler_info()["workers"]))
        distributed = dd.from_pandas(
            _pandas(frame), npartitions=min(frame["unique_id"].n_unique(), 2 * workers)
        )
        result = getattr(engine, kind)(df=distributed, **kwargs).compute()
    return pl.from_pandas(result.reset_index(drop=True))


def _on_ray(
    engine: StatsForecast, kind: str, frame: pl.DataFrame, address: str | None, **kwargs
) -> pl.DataFrame:
    import ray
    from ray.data import DataContext
    from ray.data.context import ShuffleStrategy

    if not ray.is_initialized():
        ray.init(address=address, include_dashboard=False, log_to_driver=False)
    context = DataContext.get_current()
    # fugue groups the series with a Ray Data shuffle; the default hash shuffle starts 200
    # aggregator actors (tens of seconds for a small frame), the sort shuffle plain tasks.
    context.shuffle_strategy = ShuffleStrategy.SORT_SHUFFLE_PULL_BASED
    context.enable_progress_bars = False
    result = getattr(engine, kind)(df=ray.data.from_pandas(_pandas(frame)), **kwargs)
    return pl.from_pandas(result.to_pandas())


def cross_validation(
    models: list[Any],
    frame: pl.DataFrame,
    horizon: int,
    n_windows: int,
    cluster: Cluster | None = None,
) -> pl.DataFrame:
    """Rolling-origin cross-validation: ``n_windows`` back-to-back windows of ``horizon`` steps.

    Args:
        models: unfitted statsforecast models (one family).
        frame: unique_id (String), ds (Int64 step), y; every series longer than
            ``horizon * n_windows``.
        horizon: steps per window; windows do not overlap (step size = horizon).
        n_windows: windows per series, the last ending at the series' last step.
        cluster: the cluster to run on, or None for this process.

    Returns:
        unique_id, ds, cutoff, y and one column per model alias, as statsforecast returns it.
    """
    return _run(
        "cross_validation",
        models,
        frame,
        cluster,
        lambda: local_engine.cross_validation(models, frame, horizon, n_windows),
        h=horizon,
        n_windows=n_windows,
        step_size=horizon,
    )


def forecast(
    models: list[Any],
    frame: pl.DataFrame,
    horizon: int,
    levels: Sequence[int],
    cluster: Cluster | None = None,
) -> pl.DataFrame:
    """Forecast ``horizon`` steps after each series' end with prediction intervals.

    Args:
        models: unfitted statsforecast models.
        frame: unique_id (String), ds (Int64 step), y.
        horizon: steps ahead.
        levels: interval levels in percent; none: the mean only.
        cluster: the cluster to run on, or None for this process.

    Returns:
        unique_id, ds and per model alias the mean and, per level, ``<alias>-lo-<level>`` /
        ``<alias>-hi-<level>`` columns.
    """
    return _run(
        "forecast",
        models,
        frame,
        cluster,
        lambda: local_engine.forecast(models, frame, horizon, levels),
        h=horizon,
        level=list(levels) or None,
    )
