"""What every distributed engine must give: the local engine's numbers, on a small frame.

The Dask and Ray tests start a real local cluster and call these with it. The bug they
catch is an engine path that loses, duplicates or reorders series on the way through
fugue's partitioning.
"""

import numpy as np
import polars as pl

from config.settings import ForecastingSettings
from forecasting.demand import classify_demand
from forecasting.engine import Cluster
from forecasting.forecast import forecast_demand
from forecasting.selection import class_choices
from tests.forecasting.long_windows import cross_validate

CANDIDATES = ["ADIDA", "TSB", "Naive", "SeasonalNaive"]
NO_ERRORS = pl.DataFrame(
    schema={"sku": pl.String, "model": pl.String, "actual": pl.Float64, "abs_error_7d": pl.Float64}
)


def small_series() -> pl.DataFrame:
    """Four SKUs from fast to sparse, over four months of a shop closed on Saturdays."""
    rng = np.random.default_rng(3)
    days = pl.date_range(pl.date(2024, 1, 1), pl.date(2024, 4, 30), eager=True)
    days = days.filter(days.dt.weekday() != 6)
    return pl.concat(
        pl.DataFrame(
            {"unique_id": sku, "ds": days, "y": rng.poisson(rate, len(days)).astype(float)}
        )
        for sku, rate in (("A", 6.0), ("B", 0.3), ("C", 2.0), ("D", 0.1))
    )


def assert_backtest_matches_local(cluster: Cluster) -> None:
    series = small_series()
    shape = {"horizon": 14, "n_windows": 2, "min_train": 28, "season_steps": 6}
    local = cross_validate(series, CANDIDATES, **shape)
    remote = cross_validate(series, CANDIDATES, **shape, cluster=cluster)
    assert local.height == remote.height == 4 * len(CANDIDATES) * 2 * 14
    joined = local.join(remote, on=["unique_id", "model", "window", "step"], suffix="_remote")
    assert joined.height == local.height
    assert (joined["forecast"] - joined["forecast_remote"]).abs().max() < 1e-6


def assert_forecast_matches_local(settings: ForecastingSettings) -> None:
    series = small_series()
    classes = classify_demand(series)
    choices = class_choices(NO_ERRORS, classes, CANDIDATES, top=2)
    local = forecast_demand(series, classes, choices, 7, ForecastingSettings())
    remote = forecast_demand(series, classes, choices, 7, settings)
    assert local.select("sku", "day", "model").equals(remote.select("sku", "day", "model"))
    for column in ("forecast", "lo_80", "hi_80", "lo_95", "hi_95"):
        assert (local[column] - remote[column]).abs().max() < 1e-6
