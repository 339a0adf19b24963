"""Forecasting on a local Dask cluster (statsforecast via fugue) gives the local engine's numbers."""

import pytest

from config.settings import ForecastingSettings
from forecasting.engine import Cluster
from tests.forecasting.engine_equality import (
    assert_backtest_matches_local,
    assert_forecast_matches_local,
)

distributed = pytest.importorskip(
    "dask.distributed", reason="install the dask extra: uv sync --extra dask"
)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as c:
        yield c.scheduler_address


def test_backtest_on_dask_matches_the_local_engine(cluster):
    assert_backtest_matches_local(Cluster("dask", cluster))


def test_forecast_on_dask_matches_the_local_engine(cluster):
    assert_forecast_matches_local(ForecastingSettings(engine="dask", cluster_address=cluster))
