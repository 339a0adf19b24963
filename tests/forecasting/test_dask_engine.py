"""Forecasting on a local Dask cluster (statsforecast via fugue) gives the local engine's numbers."""

import polars as pl
import pytest
from statsforecast.models import HistoricAverage

from config.settings import ForecastingSettings
from forecasting import engine
from forecasting.engine import Cluster
from tests.forecasting.engine_equality import (
    assert_backtest_matches_local,
    assert_forecast_matches_local,
)

distributed = pytest.importorskip(
    "dask.distributed", reason="install the dask extra: uv sync --extra dask"
)


@pytest.fixture(scope="module")
def local_cluster():
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as c:
        yield c


@pytest.fixture(scope="module")
def cluster(local_cluster):
    return local_cluster.scheduler_address


def test_backtest_on_dask_matches_the_local_engine(cluster):
    assert_backtest_matches_local(Cluster("dask", cluster))


def test_forecast_on_dask_matches_the_local_engine(cluster):
    assert_forecast_matches_local(ForecastingSettings(engine="dask", cluster_address=cluster))


def test_a_forecast_with_bands_runs_on_the_cluster_named(local_cluster):
    """Bugs caught: the client to the named scheduler not made the default one, so fugue
    found no client and started a cluster of its own on this machine (the settings'
    cluster_address ignored, the work run here); and the interval levels dropped on the
    way to the cluster, so the short-history model came back without its bands."""
    frame = pl.DataFrame({"unique_id": ["A"] * 6, "ds": list(range(1, 7)), "y": [1.0, 3.0] * 3})
    scheduler = local_cluster.scheduler  # in this process: processes=False
    before = scheduler.transition_counter
    remote = engine.forecast(
        [HistoricAverage()], frame, 2, (80,), Cluster("dask", local_cluster.scheduler_address)
    )
    assert scheduler.transition_counter > before
    local = engine.forecast([HistoricAverage()], frame, 2, (80,))
    columns = ["HistoricAverage", "HistoricAverage-lo-80", "HistoricAverage-hi-80"]
    for column in columns:
        assert remote[column].to_list() == pytest.approx(local[column].to_list())
