"""Forecasting on a local Ray cluster (statsforecast via fugue) gives the local engine's numbers.

The cluster is a real one started by the test (Ray's processes on this machine, one CPU):
the bug it catches is a Ray path that loses, duplicates or reorders series on the way
through fugue's partitioning, or that fails to start at all without the network.
"""

import polars as pl
import pytest

from config.settings import ForecastingSettings
from forecasting.backtest import cross_validate
from forecasting.demand import classify_demand
from forecasting.engine import Cluster
from forecasting.forecast import forecast_demand
from forecasting.selection import class_choices
from tests.forecasting.test_dask_engine import CANDIDATES, _series

ray = pytest.importorskip("ray", reason="install the ray extra: uv sync --extra ray")


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_backtest_and_forecast_on_ray_match_the_local_engine(local_ray):
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
        cluster=Cluster("ray"),
    )
    assert local.height == remote.height == 4 * 3 * 2 * 14
    joined = local.join(remote, on=["unique_id", "model", "window", "step"], suffix="_ray")
    assert joined.height == local.height
    assert (joined["forecast"] - joined["forecast_ray"]).abs().max() < 1e-6

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
    remote = forecast_demand(series, classes, choices, 7, ForecastingSettings(engine="ray"))
    assert local.select("sku", "day", "model").equals(remote.select("sku", "day", "model"))
    for column in ("forecast", "lo_80", "hi_80", "lo_95", "hi_95"):
        assert (local[column] - remote[column]).abs().max() < 1e-6
