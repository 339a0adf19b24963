"""Reorder rules beyond the levels: a stale forecast, the budget cap, a shop without stock
counts or a catalog, and SKUs without a reliable forecast (min/max on their history)."""

import datetime as dt

import polars as pl
import pytest

from config.settings import InventorySettings
from forecasting.recommended_policy import RecommendedPolicyRule
from forecasting.reorder_inputs import assumed_catalog, demand_history, orderable_skus
from tests.forecasting.test_reorder import AS_OF, _catalog, _forecast, _recommend, _stock


def test_stale_forecast_is_an_error():
    stale = _forecast(["LOW"]).with_columns(pl.col("day") - pl.duration(days=60))
    with pytest.raises(ValueError, match=r"re-run forecasts\.demand_forecast"):
        _recommend(stale, _catalog([{"sku": "LOW"}]), _stock([("LOW", 0, 0)]))


def test_budget_cap_funds_the_riskiest_value_first_and_defers_the_rest():
    # three SKUs with nothing on hand: stockout probability 1 each, so priority = 70 units
    # of lead-time demand x unit cost; order 140 each (order-up-to 140, no stock)
    catalog = _catalog(
        [
            {"sku": "LOW", "unit_cost": 1.0},
            {"sku": "MOQ", "unit_cost": 3.0},
            {"sku": "AMPLE", "unit_cost": 2.0},
        ]
    )
    stock = _stock([("LOW", 0, 0), ("MOQ", 0, 0), ("AMPLE", 0, 0)])
    forecast = _forecast(["LOW", "MOQ", "AMPLE"])
    uncapped = _recommend(forecast, catalog, stock)
    assert not uncapped["deferred"].any()
    # order values: MOQ 420 (priority 210), AMPLE 280 (140), LOW 140 (70); a cap of 600 funds
    # MOQ, cannot fit AMPLE (700 > 600), still fits LOW (560)
    capped = _recommend(forecast, catalog, stock, budget_cap=600.0).sort("priority_rank")
    assert capped.select("sku", "priority", "priority_rank", "deferred").rows() == [
        ("MOQ", pytest.approx(210.0), 1, False),
        ("AMPLE", pytest.approx(140.0), 2, True),
        ("LOW", pytest.approx(70.0), 3, False),
    ]
    assert capped.filter(pl.col("deferred"))["reason"][0].endswith(
        "Deferred: priority 2 by stockout risk x value, it does not fit in what is left of "
        "the 600.00 budget cap."
    )
    with pytest.raises(ValueError, match="budget_cap"):
        _recommend(forecast, catalog, stock, budget_cap=-1.0)


def test_without_stock_counts_every_sku_gets_its_levels_and_no_order():
    """Bugs caught: a shop without an inventory feed was told "nothing to reorder", or its
    levels-only rows read as deferred by the budget."""
    catalog = _catalog([{"sku": "LOW"}, {"sku": "AMPLE"}])
    levels = _recommend(_forecast(["LOW", "AMPLE"]), catalog, None)
    assert levels["sku"].to_list() == ["AMPLE", "LOW"]
    low = levels.row(1, named=True)
    # The same levels as with stock (see test_reorder_point_and_pack_rounding_by_hand).
    assert (low["reorder_point"], low["order_up_to"]) == (pytest.approx(70), pytest.approx(140))
    assert low["on_hand"] is None and low["order_qty"] is None and low["order_by"] is None
    assert low["reason"] == (
        "Stock unknown (no inventory feed): order when on hand + on order is at or below 70, "
        "up to 140."
    )
    assert levels["catalog_assumed"].to_list() == [False, False]
    # nothing is ordered, so nothing is deferred by a budget or pulled forward
    assert levels["deferred"].to_list() == [False, False]
    assert levels["pulled_forward"].to_list() == [False, False]


def test_without_a_catalog_every_product_gets_the_assumed_terms_flagged():
    # Bug caught: SKUs silently dropped from the reorder list when no catalog was sent.
    settings = {"assumed_lead_time_days": 7.0, "assumed_unit_cost": 3.0, "assumed_pack_size": 12}
    catalog = assumed_catalog(
        pl.DataFrame({"sku": ["LOW"], "description": ["a mug"]}), InventorySettings(**settings)
    )
    orders = _recommend(_forecast(["LOW"]), catalog, _stock([("LOW", 30, 0)]), **settings)
    low = orders.row(0, named=True)
    assert (low["lead_time_days"], low["unit_cost"], low["order_qty"]) == (7.0, 3.0, 120)
    assert low["catalog_assumed"] is True
    assert low["reason"].endswith("are assumed (no catalog; inventory.assumed_*).")


def test_a_sku_without_a_reliable_forecast_is_planned_by_min_max_on_its_history():
    """Catches reorder advice that trusts a forecast the backtest found worthless: the SKU is
    ordered only once its position is at or below the reorder point (no forecast
    look-ahead), today, and its reason says why there is no reliable forecast."""
    catalog = _catalog([{"sku": "NEAR"}, {"sku": "BELOW"}])
    # history 10 a day: reorder point 70. NEAR (75) would be ordered on the forecast's
    # look-ahead to the next review; without a reliable forecast it waits.
    stock = _stock([("NEAR", 75, 0), ("BELOW", 60, 0)])
    reason = "1 day with sales in the last 90 days; forecasting zero missed less"
    forecast = _forecast(["NEAR", "BELOW"]).with_columns(pl.lit(reason).alias("reliability_reason"))
    trusted = _recommend(_forecast(["NEAR", "BELOW"]), catalog, stock)
    assert set(trusted["sku"]) == {"NEAR", "BELOW"}
    got = _recommend(forecast, catalog, stock)
    assert got["sku"].to_list() == ["BELOW"]
    row = got.row(0, named=True)
    assert row["needed_by"] == row["order_by"] == AS_OF
    assert row["projected_stockout_date"] is None
    assert row["urgency"] == "now"
    assert f"no reliable forecast ({reason}), so min/max on its own history" in row["reason"]


def test_an_unknown_quantity_on_order_at_one_location_adds_nothing():
    """Bug caught: a location whose count leaves on_order empty counted as one unit on
    order (or the SKU's other locations' units dropped), which lowers every order the
    reorder list proposes for that SKU."""
    stock = pl.DataFrame(
        {"sku": ["LOW", "LOW", "MOQ"], "on_hand": [3, 4, 0], "on_order": [None, 5, None]},
        schema={"sku": pl.String, "on_hand": pl.Int64, "on_order": pl.Int64},
    )
    abc = pl.DataFrame({"sku": ["LOW", "MOQ"], "abc_class": ["A", "B"]})
    got = orderable_skus(
        _forecast(["LOW", "MOQ"]),
        _catalog([{"sku": "LOW"}, {"sku": "MOQ"}]),
        stock,
        abc,
        {"A": 0.95, "B": 0.9, "C": 0.8},
    )
    assert got.select("sku", "on_hand", "on_order").rows() == [("LOW", 7, 5), ("MOQ", 0, 0)]


def test_a_day_exactly_at_the_large_order_threshold_stays_in_the_history():
    """Bug caught: a selling day equal to the large-order threshold taken out of the
    history the reorder levels are planned from (``>=`` for ``>``); a day is a one-off
    order only when it EXCEEDS both 3x the median selling day and the 99th percentile, as
    in the policy backtest. Twenty days of 1 unit, the last 3 for A: the threshold is
    max(3 x 1, 99th percentile 1 + 0.81 x 2 = 2.62) = 3, so A keeps its 3. B's last day of
    4 is above its max(3, 1 + 0.81 x 3 = 3.43) and is taken out (0)."""
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(20)]
    history = pl.DataFrame(
        {
            "sku": ["A"] * 20 + ["B"] * 20,
            "day": days * 2,
            "units": [1.0] * 19 + [3.0] + [1.0] * 19 + [4.0],
        }
    )
    settings = InventorySettings(backtest_large_order_multiple=3.0, backtest_distribution_days=20)
    rule = RecommendedPolicyRule.from_settings(settings, review_days=7)
    matrix = demand_history(history, ["A", "B"], days[-1], rule)
    assert matrix[:, -1].tolist() == [3.0, 0.0]
    assert (matrix[:, :-1] == 1.0).all()
