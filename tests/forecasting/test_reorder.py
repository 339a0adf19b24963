import datetime as dt

import numpy as np
import polars as pl
import pytest

from config.settings import InventorySettings
from forecasting.policy_levels import recommended_levels
from forecasting.reorder import reorder_recommendations

AS_OF = dt.date(2024, 7, 1)  # a Monday
EVERY_DAY = (1, 2, 3, 4, 5, 6, 7)
SERVICE = {"A": 0.98, "B": 0.95, "C": 0.90}


def _forecast(skus, per_day=10.0, sigma=0.0, days=28, weekdays=EVERY_DAY):
    future = [
        d
        for d in (AS_OF + dt.timedelta(days=n) for n in range(1, 60))
        if d.isoweekday() in weekdays
    ]
    return pl.DataFrame(
        [
            {
                "sku": sku,
                "day": day,
                "forecast": per_day,
                "hi_95": per_day + 1.959964 * sigma,
                "demand_pattern": "smooth",
            }
            for sku in skus
            for day in future[:days]
        ]
    )


def _history(units_by_sku, days=112, weekdays=EVERY_DAY):
    """The last ``days`` trading days up to AS_OF; a value per SKU is repeated every day,
    a list is the SKU's days oldest first (zeros before it)."""
    past = [
        d for d in (AS_OF - dt.timedelta(days=n) for n in range(400)) if d.isoweekday() in weekdays
    ][:days][::-1]
    rows = []
    for sku, units in units_by_sku.items():
        series = (
            [units] * days if not isinstance(units, list) else [0.0] * (days - len(units)) + units
        )
        rows += [{"sku": sku, "day": d, "units": float(u)} for d, u in zip(past, series)]
    return pl.DataFrame(rows, schema={"sku": pl.String, "day": pl.Date, "units": pl.Float64})


def _catalog(rows):
    base = {
        "unit_cost": 2.0,
        "lead_time_days": 7.0,
        "lead_time_std_days": 0.0,
        "moq": 1,
        "pack_size": 1,
        "is_product": True,
        "description": "test product",
    }
    return pl.DataFrame([{**base, **row} for row in rows])


def _stock(rows):
    return pl.DataFrame(
        rows, schema={"sku": pl.String, "on_hand": pl.Int64, "on_order": pl.Int64}, orient="row"
    )


ABC = pl.DataFrame({"sku": ["LOW", "MOQ", "AMPLE", "POST"], "abc_class": ["B", "B", "A", "C"]})


def _recommend(
    forecast,
    catalog,
    stock,
    history=None,
    abc=ABC,
    trading_weekdays=EVERY_DAY,
    risk=None,
    **settings,
):
    """The daily list as of AS_OF; ``settings`` are InventorySettings fields."""
    history = _history(dict.fromkeys(catalog["sku"], 10.0)) if history is None else history
    inventory = InventorySettings(**{"service_level": SERVICE, "review_period_days": 7, **settings})
    return reorder_recommendations(
        forecast, history, catalog, stock, abc, AS_OF, inventory, trading_weekdays, risk
    )


@pytest.fixture(scope="module")
def three_skus():
    catalog = _catalog(
        [
            {"sku": "LOW", "pack_size": 12},
            {"sku": "MOQ", "moq": 200},
            {"sku": "AMPLE"},
            {"sku": "POST", "is_product": False},
        ]
    )
    stock = _stock([("LOW", 30, 0), ("MOQ", 60, 40), ("AMPLE", 500, 0), ("POST", 0, 0)])
    return _recommend(_forecast(["LOW", "MOQ", "AMPLE", "POST"]), catalog, stock)


def test_only_skus_to_order_now_are_listed(three_skus):
    # AMPLE has 500 on hand against 140 needed; POST is not a product
    assert three_skus["sku"].to_list() == ["LOW", "MOQ"]
    assert (three_skus["order_qty"] > 0).all()


def test_reorder_point_and_pack_rounding_by_hand(three_skus):
    low = three_skus.row(0, named=True)
    # 10 every day for 112 days: every 7-day sum is 70, so any quantile is 70: ROP 70;
    # + 7 review days x level 10 -> up to 140
    assert low["lead_time_demand"] == pytest.approx(70)
    assert low["safety_stock"] == pytest.approx(0)
    assert low["reorder_point"] == pytest.approx(70)
    assert low["order_up_to"] == pytest.approx(140)
    # 140 - 30 = 110, rounded up to 10 packs of 12
    assert low["order_qty"] == 120
    assert low["rounding"] == "rounded up from 110 to 120: 10 packs of 12"
    assert low["order_by"] == AS_OF  # already under the reorder point
    assert low["days_of_cover"] == pytest.approx(3.0)
    assert low["projected_stockout_date"] == dt.date(2024, 7, 5)  # cumulative 40 > 30 on day 4
    assert low["stockout_probability"] == 1.0
    assert low["order_value"] == pytest.approx(240.0)
    assert low["service_level"] == 1.0  # 70 covers every past 7-day sum
    # One sentence: what, how much, by when, the one main why; the numbers are columns.
    assert low["reason"] == (
        "Order 120 by 2024-07-01: stock 30 (on hand + on order) is below its reorder point 70."
    )
    assert low["deferred"] is False and low["priority_rank"] == 1


def test_moq_and_order_by_when_the_position_crosses_before_the_review(three_skus):
    moq = three_skus.row(1, named=True)
    # position 100 is above the ROP 70 today, reaches it after 3 days of 10
    assert moq["inventory_position"] == 100
    assert moq["order_by"] == dt.date(2024, 7, 4)
    assert moq["order_qty"] == 200
    assert moq["rounding"] == "need 40, raised to the MOQ of 200"
    assert moq["stockout_probability"] == 0.0  # 70 units of lead-time demand < position 100
    assert moq["projected_stockout_date"] == dt.date(2024, 7, 8)  # on hand 60 < 70 sold by day 7


def test_order_by_never_before_as_of_and_stockout_beyond_horizon_is_null():
    forecast = _forecast(["S"], days=28).filter(pl.col("day") > AS_OF - dt.timedelta(days=5))
    late = _recommend(
        forecast,
        _catalog([{"sku": "S"}]),
        _stock([("S", 300, 0)]),
        abc=pl.DataFrame({"sku": ["S"], "abc_class": ["A"]}),
        review_period_days=30,
    )
    row = late.row(0, named=True)
    assert row["order_by"] >= AS_OF
    assert row["projected_stockout_date"] is None  # 28 days x 10 = 280 never exceeds 300
    assert row["abc_class"] == "A"


def test_levels_are_the_backtests_recommended_levels_by_hand():
    # 112 days of history; the last 56 sell 20 a day, the first 56 nothing. The 2-day sums
    # (lead 2 days, review 1 day) are 0 (55 of them), 20 (one, straddling) and 40 (55).
    # A full-service class target (1.0) must cover the largest: quantile 40; the level is
    # the last-56-day mean 20 over the 112-day mean 10: scale 2 -> ROP 80, lead-time demand
    # 20 x 2 = 40, safety stock 40, up to 80 + 20 x 1 = 100.
    history = _history({"LOW": [20.0] * 56})
    got = _recommend(
        _forecast(["LOW"], per_day=20.0),
        _catalog([{"sku": "LOW", "lead_time_days": 2.0}]),
        _stock([("LOW", 50, 0)]),
        history=history,
        abc=pl.DataFrame({"sku": ["LOW"], "abc_class": ["A"]}),
        service_level={"A": 1.0, "B": 0.95, "C": 0.9},
        review_period_days=1,
    ).row(0, named=True)
    assert got["reorder_point"] == pytest.approx(80)
    assert got["lead_time_demand"] == pytest.approx(40)
    assert got["safety_stock"] == pytest.approx(40)
    assert got["order_up_to"] == pytest.approx(100)
    assert got["order_qty"] == 50
    assert got["service_level"] == 1.0
    # scaled sums 0 (55), 40 (one), 80 (55) of 111: those above the position 50 -> 55/111
    assert got["stockout_probability"] == round(55 / 111, 3)  # shares to 0.1 %
    # the same numbers as recommended_levels on the same history: one computation (the
    # list shows whole units: the reorder point rounded down, the order-up-to level up)
    planned = recommended_levels(
        np.array([[0.0] * 56 + [20.0] * 56]), 56, 2, 1.0, 1, np.array([2.0]), 0.5
    )
    assert np.floor(planned.reorder_point[0] + 1e-9) == got["reorder_point"]
    assert np.ceil(planned.order_up_to[0] - 1e-6) == got["order_up_to"]


def test_class_target_is_the_allocation_target():
    # two SKUs alike but for value, lumpy 2-day sums; in class C at a low target the dear
    # SKU gets less stock than the cheap one; at a full-service target both cover the largest
    pattern = [0.0, 3.0, 0.0, 1.0, 0.0, 0.0, 5.0, 1.0] * 14
    history = _history({"CHEAP": pattern, "DEAR": pattern})
    catalog = _catalog(
        [
            {"sku": "CHEAP", "lead_time_days": 2.0, "unit_cost": 1.0},
            {"sku": "DEAR", "lead_time_days": 2.0, "unit_cost": 50.0},
        ]
    )
    stock = _stock([("CHEAP", 0, 0), ("DEAR", 0, 0)])
    abc = pl.DataFrame({"sku": ["CHEAP", "DEAR"], "abc_class": ["C", "C"]})
    forecast = _forecast(["CHEAP", "DEAR"], per_day=1.25)
    low = _recommend(
        forecast,
        catalog,
        stock,
        history=history,
        abc=abc,
        review_period_days=7,
        service_level={"A": 1.0, "B": 1.0, "C": 0.9},
    )
    full = _recommend(
        forecast,
        catalog,
        stock,
        history=history,
        abc=abc,
        review_period_days=7,
        service_level={"A": 1.0, "B": 1.0, "C": 1.0},
    )
    low_rop = dict(zip(low["sku"], low["reorder_point"]))
    assert low_rop["CHEAP"] > low_rop["DEAR"]
    assert full["reorder_point"].to_list() == [6.0, 6.0]  # the largest 2-day sum, 5 + 1
    assert full["reason"][0] == (
        "Order 15 by 2024-07-01: stock 0 (on hand + on order) is below its reorder point 6."
    )


def test_large_one_off_orders_leave_the_history():
    # one day of 500 among days of 1: above 10x the median selling day and its 99th
    # percentile, so it is made to order and the levels plan from the days of 1 alone
    series = [1.0] * 111 + [500.0]
    got = _recommend(
        _forecast(["LOW"], per_day=1.0),
        _catalog([{"sku": "LOW"}]),
        _stock([("LOW", 0, 0)]),
        history=_history({"LOW": series}),
    ).row(0, named=True)
    # the last day cleansed to 0: 105 7-day sums of 7 and one of 6; class B's 0.95 needs
    # the 7 (covering 6 alone plans well under 0.5). Level = last 56 days 55/56, window
    # mean 111/112: scale 110/111 -> ROP 7 x 110/111 (with the 500: level 555/56, ROP ~500)
    # in whole units: the reorder point 7 x 110/111 = 6.94 rounds down (stock 6 is at or
    # below it), the lead-time demand 55/56 x 7 = 6.875 to the nearest unit
    assert got["reorder_point"] == 6
    assert got["lead_time_demand"] == 7
    assert got["safety_stock"] == -1


def test_a_young_sku_plans_from_its_days_since_first_sale():
    # NEW has rows only for its last 4 days (10 each); OLD sells 1 a day all 112 days. NEW's
    # unknown days are not zeros: its 2-day sums are 20, 20, 20, level 10, scale 1 -> ROP 20.
    # NEWER has 1 row (lead 2): no 2-day sum, so lead-time demand 2 x 30 is the ROP.
    history = pl.concat(
        [
            _history({"OLD": 1.0}),
            _history({"NEW": 10.0}, days=4),
            _history({"NEWER": 30.0}, days=1),
        ]
    )
    skus = ["OLD", "NEW", "NEWER"]
    got = _recommend(
        _forecast(skus),
        _catalog([{"sku": s, "lead_time_days": 2.0} for s in skus]),
        _stock([(s, 0, 0) for s in skus]),
        history=history,
        abc=pl.DataFrame({"sku": skus, "abc_class": ["A"] * 3}),
    )
    rop = dict(zip(got["sku"], got["reorder_point"]))
    assert rop == {
        "OLD": pytest.approx(2.0),
        "NEW": pytest.approx(20.0),
        "NEWER": pytest.approx(60.0),
    }
    assert got.filter(pl.col("sku") == "NEWER")["stockout_probability"].to_list() == [1.0]


def test_a_history_shorter_than_the_lead_time_plans_lead_time_x_level():
    # 5 trading days of 10 and a 7-day lead time: no 7-day sum, so ROP = 7 x 10
    got = _recommend(
        _forecast(["LOW"]),
        _catalog([{"sku": "LOW"}]),
        _stock([("LOW", 0, 0)]),
        history=_history({"LOW": 10.0}, days=5),
    ).row(0, named=True)
    assert got["reorder_point"] == pytest.approx(70)
    assert got["order_up_to"] == pytest.approx(140)
    assert got["stockout_probability"] == 1.0


def test_lead_time_counts_trading_days_only():
    closed_saturday = (1, 2, 3, 4, 5, 7)
    forecast = _forecast(["LOW"], weekdays=closed_saturday)
    got = _recommend(
        forecast,
        _catalog([{"sku": "LOW"}]),
        _stock([("LOW", 0, 0)]),
        history=_history({"LOW": 10.0}, weekdays=closed_saturday),
        trading_weekdays=closed_saturday,
    ).row(0, named=True)
    # 7 calendar days x 6/7 = 6 trading days of 10; review 7 x 6/7 = 6 more
    assert got["reorder_point"] == pytest.approx(60)
    assert got["order_up_to"] == pytest.approx(120)


def test_stock_exactly_the_lead_time_demand_without_a_full_lead_time_sum_is_no_stockout():
    """Bug caught: a SKU with no complete lead-time sum whose stock exactly covers its
    lead-time demand (70 units for 7 days of 10) given a stockout probability of 1 (>= for
    >): it runs out only when the position is short of that demand."""
    got = _recommend(
        _forecast(["LOW"]),
        _catalog([{"sku": "LOW"}]),
        _stock([("LOW", 70, 0)]),
        history=_history({"LOW": 10.0}, days=5),
    ).row(0, named=True)
    assert (got["lead_time_demand"], got["inventory_position"]) == (70, 70)
    assert got["stockout_probability"] == 0.0
