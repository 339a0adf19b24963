"""Forecasting on a local Dask cluster (statsforecast via fugue) gives the local engine's numbers."""

import numpy as np
import polars as pl
import pytest

from config.settings import ForecastingSettings
from forecasting.backtest import cross_validate
from forecasting.demand import classify_demand
from forecasting.engine import Cluster
from forecasting.forecast import forecast_demand
from forecasting.selection import class_choices

distributed = pytest.importorskip(
    "dask.distributed", reason="install the dask extra: uv sync --extra dask"
)

CANDIDATES = ["ADIDA", "TSB", "SeasonalNaive"]


def _series() -> pl.DataFrame:
    rng = np.random.default_rng(3)
    days = pl.date_range(pl.date(2024, 1, 1), pl.date(2024, 4, 30), eager=True)
    days = days.filter(days.dt.weekday() != 6)
    return pl.concat(
        pl.DataFrame(
            {"unique_id": sku, "ds": days, "y": rng.poisson(rate, len(days)).astype(float)}
        )
        for sku, rate in (("A", 6.0), ("B", 0.3), ("C", 2.0), ("D", 0.1))
    )


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as c:
        yield c.scheduler_address


def test_backtest_on_dask_matches_the_local_engine(cluster):
    series = _series()
    local = cross_validate(
        series, CANDIDATES, horizon=14, n_windows=2, min_train=28, season_steps=6
    )
    remote = cross_validate(
        series,
        CANDIDATES,
        horizon=14,
        n_windows=2,
        min_train=28,
        season_steps=6,
        cluster=Cluster("dask", cluster),
    )
    assert local.height == remote.height == 4 * 3 * 2 * 14
    joined = local.join(remote, on=["unique_id", "model", "window", "step"], suffix="_dask")
    assert joined.height == local.height
    assert (joined["forecast"] - joined["forecast_dask"]).abs().max() < 1e-6


def test_forecast_on_dask_matches_the_local_engine(cluster):
    series = _series()
    classes = classify_demand(series)
    errors = pl.DataFrame(
        schema={
            "sku": pl.String,
            "model": pl.String,
            "actual": pl.Float64,
            "abs_error_7d": pl.Float64,
        }
    )
    choices = class_choices(errors, classes, CANDIDATES, top=2)
    local = forecast_demand(series, classes, choices, 7, ForecastingSettings())
    remote = forecast_demand(
        series, classes, choices, 7, ForecastingSettings(engine="dask", cluster_address=cluster)
    )
    assert local.select("sku", "day", "model").equals(remote.select("sku", "day", "model"))
    for column in ("forecast", "lo_80", "hi_80", "lo_95", "hi_95"):
        assert (local[column] - remote[column]).abs().max() < 1e-6
