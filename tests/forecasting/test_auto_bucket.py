"""The auto bucket rule on hand-made series: its ties at exactly half, and series that do
not come in series order."""

import datetime as dt

import polars as pl

from forecasting.auto_bucket import choose_buckets, fixed_buckets

SCHEMA = {"unique_id": pl.String, "ds": pl.Date, "y": pl.Float64}
MONDAY = dt.date(2024, 1, 1)


def _series(by_sku: dict[str, list[float]], step_days: int) -> pl.DataFrame:
    """A series per SKU, one step every ``step_days`` days from a Monday, in series order."""
    return pl.DataFrame(
        [
            {"unique_id": sku, "ds": MONDAY + dt.timedelta(days=step_days * n), "y": y}
            for sku, values in by_sku.items()
            for n, y in enumerate(values)
        ],
        schema=SCHEMA,
    )


def test_selling_in_exactly_half_the_steps_is_enough_for_the_finer_bucket():
    """Bug caught: "at least half" read as "more than half" (``>`` for ``>=``), which sends
    a SKU selling on exactly half its days to weeks, and one selling in exactly half its
    weeks to months."""
    every = {
        # HALF_DAYS sells on 2 of 4 days; HALF_WEEKS on 1 of 4 days but in 2 of 4 weeks
        "day": _series({"HALF_DAYS": [1, 0, 2, 0], "HALF_WEEKS": [1, 0, 0, 0]}, 1),
        "week": _series({"HALF_DAYS": [1, 0, 1, 0], "HALF_WEEKS": [1, 0, 1, 0]}, 7),
        "month": _series({"HALF_DAYS": [1, 1], "HALF_WEEKS": [1, 1]}, 31),
    }
    assert choose_buckets(every).rows() == [
        (
            "HALF_DAYS",
            "day",
            "daily: sells on 50 % of its 4 trading days, in 50 % of its 4 weeks, "
            "in 100 % of its 2 months",
        ),
        (
            "HALF_WEEKS",
            "week",
            "weekly: sells on 25 % of its 4 trading days, in 50 % of its 4 weeks, "
            "in 100 % of its 2 months",
        ),
    ]


def test_series_out_of_series_order_are_counted_per_sku():
    """Bug caught: the shares of series whose rows are not grouped by SKU read off runs of
    rows (a SKU split in two runs counted twice, or its second run lost), or a step with a
    sale told by ``y >= 0``, ``y > 1`` or ``y > -1`` instead of ``y > 0`` (the steps below
    sell 0, 1 and 2 units)."""
    rows = [("B", 0, 1.0), ("A", 0, 0.0), ("B", 1, 0.0), ("A", 1, 2.0), ("B", 2, 0.0)]
    series = pl.DataFrame(
        [{"unique_id": sku, "ds": MONDAY + dt.timedelta(weeks=n), "y": y} for sku, n, y in rows],
        schema=SCHEMA,
    )
    assert fixed_buckets(series, "week").rows() == [
        ("A", "week", "set: forecasting.bucket week; sells in 50 % of its 2 weeks"),
        ("B", "week", "set: forecasting.bucket week; sells in 33 % of its 3 weeks"),
    ]
