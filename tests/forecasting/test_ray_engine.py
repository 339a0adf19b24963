"""Forecasting on a local Ray cluster (statsforecast via fugue) gives the local engine's numbers.

The cluster is a real one started by the test (Ray's processes on this machine, one CPU):
the bug it catches is a Ray path that loses, duplicates or reorders series on the way
through fugue's partitioning, or that fails to start at all without the network.
"""

import pytest

from config.settings import ForecastingSettings
from forecasting.engine import Cluster
from tests.forecasting.engine_equality import (
    assert_backtest_matches_local,
    assert_forecast_matches_local,
)

ray = pytest.importorskip("ray", reason="install the ray extra: uv sync --extra ray")


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_backtest_and_forecast_on_ray_match_the_local_engine(local_ray):
    assert_backtest_matches_local(Cluster("ray"))
    assert_forecast_matches_local(ForecastingSettings(engine="ray"))
