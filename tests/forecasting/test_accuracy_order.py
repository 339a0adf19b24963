"""forecasts.accuracy_summary's rows: each class's models best first, unknown WAPEs last."""

import datetime as dt

import polars as pl

from forecasting.bucketed import bucket_demand, evaluate_by_bucket
from tests.forecasting.test_buckets import _mart, _monthly_sales, _settings


def test_a_model_without_a_wape_comes_after_every_scored_model_of_its_class():
    """Bug caught: a model whose holdout WAPE is unknown (null) listed first in its class,
    above the best model, so a reader of the table (or its log line) takes it for the
    winner.

    Monthly buckets, holdout October-December 2023. SPARSE sells 6 every third month until
    July 2023 (nothing in the holdout), SHORT sells since August 2023 (6 in the holdout);
    both are intermittent. The seasonal models need a year of history, so they score
    SPARSE alone: no demand, so no WAPE; every other model scores both."""
    mart = _mart(
        {
            "STEADY": _monthly_sales([30.0] * 24),
            "SPARSE": _monthly_sales([6.0 if m % 3 == 0 and m <= 18 else 0.0 for m in range(24)]),
            "SHORT": _monthly_sales([2.0, 0.0, 3.0, 1.0, 2.0], dt.date(2023, 8, 1)),
        },
        last_day=dt.date(2024, 1, 10),
    )
    cfg = _settings()
    summary = evaluate_by_bucket(bucket_demand(mart, cfg).series, cfg).accuracy_summary
    intermittent = summary.filter(pl.col("demand_pattern") == "intermittent")
    unscored = intermittent.filter(pl.col("wape").is_null())
    assert sorted(unscored["model"]) == ["SeasonalESOptimized", "SeasonalNaive"]
    assert (unscored["skus"] == 1).all()
    wapes = intermittent["wape"].to_list()
    scored = [w for w in wapes if w is not None]
    assert len(scored) >= 5
    assert wapes == sorted(scored) + [None, None]
    # the whole table: classes by name, each best first with its nulls last
    expected = summary.sort("demand_pattern", "wape", "model", nulls_last=True)
    assert summary.select("demand_pattern", "model").equals(
        expected.select("demand_pattern", "model")
    )
