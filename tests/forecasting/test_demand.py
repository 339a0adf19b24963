import datetime as dt

import polars as pl
import pytest

from forecasting.demand import abc_classes, classify_demand, demand_series


def _series(values: dict[str, list[float]]) -> pl.DataFrame:
    start = dt.date(2024, 1, 1)
    return pl.DataFrame(
        [
            {"unique_id": sku, "ds": start + dt.timedelta(days=i), "y": float(y)}
            for sku, ys in values.items()
            for i, y in enumerate(ys)
        ]
    )


def test_classify_demand_one_series_per_quadrant():
    series = _series(
        {
            # 8 periods, 8 demands: ADI 1.0; sizes 10,12 -> mean 11, var 1 -> CV² 1/121
            "smooth": [10, 12] * 4,
            # ADI 1.0; sizes 1,9 -> mean 5, var 16 -> CV² 0.64
            "erratic": [1, 9] * 4,
            # 8 periods, 4 demands: ADI 2.0; sizes all 5 -> CV² 0
            "intermittent": [5, 0] * 4,
            # ADI 2.0; sizes 1,9,1,9 -> CV² 0.64
            "lumpy": [1, 0, 9, 0, 1, 0, 9, 0],
        }
    )
    classes = classify_demand(series).sort("sku")
    got = {row["sku"]: row for row in classes.iter_rows(named=True)}
    assert {sku: row["demand_pattern"] for sku, row in got.items()} == {
        "smooth": "smooth",
        "erratic": "erratic",
        "intermittent": "intermittent",
        "lumpy": "lumpy",
    }
    assert got["smooth"]["adi"] == 1.0 and got["smooth"]["cv2"] == pytest.approx(1 / 121)
    assert got["erratic"]["cv2"] == pytest.approx(0.64)
    assert got["lumpy"]["adi"] == 2.0 and got["lumpy"]["demand_periods"] == 4
    assert got["intermittent"]["cv2"] == 0.0


def test_classify_demand_at_the_cutoffs():
    # ADI exactly 1.32 would need fractions; 4 demands in 6 periods is ADI 1.5 (>= 1.32)
    # and 1 demand in 1 period is ADI 1.0; a single demand has CV² 0.
    classes = classify_demand(_series({"a": [0, 3, 3, 0, 3, 3], "b": [7]}))
    assert classes["demand_pattern"].to_list() == ["intermittent", "smooth"]


def test_classify_demand_exactly_at_the_adi_cutoff_is_intermittent():
    """Bug caught: ADI compared with <= instead of < against 1.32, so a series whose
    demand comes exactly every 1.32 periods counts as smooth. 25 equal demands in 33
    periods: ADI 33 / 25, the same double as 1.32, and CV² 0 -> intermittent."""
    classes = classify_demand(_series({"edge": [4] * 25 + [0] * 8}))
    row = classes.row(0, named=True)
    assert (row["adi"], row["cv2"]) == (1.32, 0.0)
    assert row["demand_pattern"] == "intermittent"


def test_classify_demand_without_any_demand():
    """Bug caught: a series that never sold given 1 (or -1) demand period, a finite (or
    negative) ADI, or a CV² of 1 (or -1) instead of 0, which turns it lumpy or smooth. Its
    ADI is infinite and its CV² 0: intermittent, as the docstring says."""
    classes = classify_demand(_series({"never": [0, 0, 0]}))
    row = classes.row(0, named=True)
    assert (row["periods"], row["demand_periods"]) == (3, 0)
    assert (row["adi"], row["cv2"]) == (float("inf"), 0.0)
    assert row["demand_pattern"] == "intermittent"


def test_abc_classes_on_five_skus():
    revenue = pl.DataFrame(
        {"sku": ["e", "b", "c", "a", "d"], "revenue": [5.0, 25.0, 10.0, 50.0, 10.0]}
    )
    abc = abc_classes(revenue)
    # ranked a 50, b 25, c 10, d 10, e 5: revenue above each is 0, 50, 75, 85, 95 %
    assert abc["sku"].to_list() == ["a", "b", "c", "d", "e"]
    assert abc["abc_class"].to_list() == ["A", "A", "A", "B", "C"]
    assert abc["cumulative_share"].to_list() == pytest.approx([0.5, 0.75, 0.85, 0.95, 1.0])


def test_abc_dominant_sku_is_a_and_non_positive_revenue_is_c():
    abc = abc_classes(
        pl.DataFrame({"sku": ["big", "small", "refunds"], "revenue": [90.0, 10.0, -4.0]})
    )
    assert dict(zip(abc["sku"], abc["abc_class"], strict=True)) == {
        "big": "A",
        "small": "B",
        "refunds": "C",
    }


def test_abc_a_shop_without_revenue_has_no_a_or_b_sku():
    """Bug caught: a SKU with zero revenue ranked by its share when the whole shop has no
    revenue yet (every share 0/0, read as 0: nothing ranked above it), so a catalog of
    free samples or a shop before its first paid order came out all A instead of all C."""
    abc = abc_classes(pl.DataFrame({"sku": ["x", "y"], "revenue": [0.0, 0.0]}))
    assert abc["abc_class"].to_list() == ["C", "C"]
    assert abc["revenue_share"].to_list() == [0.0, 0.0]


def _mart(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "sku": pl.String,
            "day": pl.Date,
            "is_trading_day": pl.Boolean,
            "demand_units": pl.Int64,
            "is_stockout": pl.Boolean,
            "is_partial_day": pl.Boolean,
        },
        orient="row",
    )


def test_demand_series_skips_non_trading_stockout_and_partial_days():
    d = dt.date(2024, 3, 1)  # a Friday

    def day(n: int) -> dt.date:
        return d + dt.timedelta(days=n)

    mart = _mart(
        [
            ("X", day(0), True, 4, False, False),
            ("X", day(1), False, 0, False, False),  # Saturday: closed, not a zero
            ("X", day(2), True, 0, False, False),
            ("X", day(3), True, 0, True, False),  # stockout: censored, excluded
            ("X", day(4), True, 2, None, False),  # no snapshot: counts as in stock
            ("X", day(5), True, 1, False, True),  # export cut mid-day: excluded
        ]
    )
    series = demand_series(mart, history_days=365, min_active_days=30)
    assert series["ds"].to_list() == [day(0), day(2), day(4)]
    assert series["y"].to_list() == [4.0, 0.0, 2.0]
    assert series["unique_id"].unique().to_list() == ["X"]


def test_demand_series_history_window_and_inactive_skus():
    last = dt.date(2024, 6, 30)

    def day(n: int) -> dt.date:
        return last - dt.timedelta(days=n)

    mart = _mart(
        [
            ("OLD", day(100), True, 5, False, False),  # last sale 100 days ago: inactive
            ("OLD", day(0), True, 0, False, False),
            ("NEW", day(20), True, 1, False, False),  # outside a 10-day history but active
            ("NEW", day(5), True, 3, False, False),
            ("NEW", day(0), True, 0, False, False),
        ]
    )
    series = demand_series(mart, history_days=10, min_active_days=30)
    assert series["unique_id"].unique().to_list() == ["NEW"]
    assert series["ds"].to_list() == [day(5), day(0)]


def test_demand_series_names_missing_columns():
    with pytest.raises(ValueError, match="is_stockout"):
        demand_series(
            pl.DataFrame(
                {
                    "sku": ["a"],
                    "day": [dt.date(2024, 1, 1)],
                    "is_trading_day": [True],
                    "demand_units": [1],
                }
            ),
            history_days=10,
            min_active_days=10,
        )
