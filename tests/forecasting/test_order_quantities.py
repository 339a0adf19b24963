"""Order quantities of the reorder list by hand: EOQ, MOQ and pack rounding, the money and
shares as people read them, and the edges of a slow SKU and one unit short."""

import polars as pl
import pytest

from forecasting.order_rounding import in_whole_units, rounded_orders
from tests.forecasting.test_reorder import _catalog, _forecast, _history, _recommend, _stock


def test_eoq_policy():
    got = _recommend(
        _forecast(["LOW"]),
        _catalog([{"sku": "LOW", "pack_size": 12}]),
        _stock([("LOW", 30, 0)]),
        policy="eoq",
        holding_cost_rate=0.25,
        order_cost=30.0,
    ).row(0, named=True)
    # EOQ = sqrt(2 x 3650 x 30 / (0.25 x 2)) = 661.8 -> 662 -> 56 packs of 12
    assert got["order_qty"] == 672
    assert got["rounding"] == "rounded up from 662 to 672: 56 packs of 12"


@pytest.mark.parametrize(
    "wanted, moq, pack, expected",
    [
        (37, 1, 12, (48, "rounded up from 37 to 48: 4 packs of 12")),
        (36.4, 1, 1, (37, "no rounding needed")),
        (36.0000000001, 1, 12, (36, "no rounding needed: 36 is 3 packs of 12")),
        (37, 100, 1, (100, "need 37, raised to the MOQ of 100")),
        (37, 100, 12, (108, "need 37, raised to the MOQ of 100, then up to 108: 9 packs of 12")),
        (5, 24, 12, (24, "need 5, raised to the MOQ of 24 (2 packs of 12)")),
        (3, 1, 6, (6, "rounded up from 3 to 6: 1 pack of 6")),
        # exactly the MOQ in single units: nothing raised (not "raised to the MOQ of 100")
        (100, 100, 1, (100, "no rounding needed")),
        # whole packs of 2 are packs too (not "no rounding needed" without the packs)
        (4, 1, 2, (4, "no rounding needed: 4 is 2 packs of 2")),
        # exactly the MOQ, then up to whole packs: rounded for the packs, not "raised to the
        # MOQ" (the units already meet it)
        (100, 100, 12, (108, "rounded up from 100 to 108: 9 packs of 12")),
        # float noise below 1e-6 of a unit is dropped before rounding up (kept to 7
        # decimals, 36.0000004 would order 37); a real 4e-6 over is a unit more (rounded to
        # 5 decimals, 36.000004 would order 36)
        (36.0000004, 1, 1, (36, "no rounding needed")),
        (36.000004, 1, 1, (37, "no rounding needed")),
    ],
)
def test_rounded_orders(wanted, moq, pack, expected):
    order = pl.DataFrame({"wanted": [float(wanted)], "moq": [moq], "pack_size": [pack]})
    assert rounded_orders(order).select("order_qty", "rounding").row(0) == expected


def test_shares_and_cover_are_rounded_as_people_read_them():
    """Bug: cover rounded to whole days (2.46 days read as 2, not 2.5) or shares to other
    than 0.1 % (0.12345 is 0.123, a service level of 0.97449 is 0.974, not 0.9745 or 0.97);
    levels whole units: point down, order-up-to up."""
    plan = pl.DataFrame(
        {
            "reorder_point": [69.6],
            "order_up_to": [140.2],
            "lead_time_demand": [50.4],
            "days_of_cover": [2.46],
            "stockout_probability": [0.12345],
            "service_level": [0.97449],
        }
    )
    row = in_whole_units(plan).row(0, named=True)
    assert (row["reorder_point"], row["order_up_to"], row["safety_stock"]) == (69, 141, 19)
    assert (row["days_of_cover"], row["stockout_probability"]) == (2.5, 0.123)
    assert row["service_level"] == 0.974


def test_eoq_below_the_reorder_gap_orders_just_past_the_reorder_point():
    """Bugs caught: the EOQ's floor (reorder point - position, + 1) computed as reorder
    point + position, and a unit cost between 0 and 1 refused as free. EOQ = sqrt(2 x 3650
    x 0.001 / (0.25 x 0.5)) = 7.6 units, less than the 70 - 30 + 1 = 41 that lift the
    position of 30 above the reorder point 70: 41 are ordered."""
    got = _recommend(
        _forecast(["LOW"]),
        _catalog([{"sku": "LOW", "unit_cost": 0.5}]),
        _stock([("LOW", 30, 0)]),
        policy="eoq",
        holding_cost_rate=0.25,
        order_cost=0.001,
    ).row(0, named=True)
    assert got["order_qty"] == 41


def test_one_unit_short_of_the_order_up_to_level_orders_it():
    """Bug caught: a SKU due for review that wants exactly 1 unit (position 139, order-up-to
    140) left off the list, as if wanting 1 unit were float noise."""
    got = _recommend(_forecast(["LOW"]), _catalog([{"sku": "LOW"}]), _stock([("LOW", 139, 0)]))
    assert got.select("sku", "order_qty").rows() == [("LOW", 1)]


def test_order_value_and_priority_are_to_the_cent():
    """Bugs caught: the order value or the priority rounded to 3 decimals. LOW orders 110
    at 1.0001: 110.011 is 110.01; its priority, stockout risk 1 x 70 units x 1.0001 =
    70.007, is 70.01."""
    got = _recommend(
        _forecast(["LOW"]),
        _catalog([{"sku": "LOW", "unit_cost": 1.0001}]),
        _stock([("LOW", 30, 0)]),
    ).row(0, named=True)
    assert (got["order_qty"], got["order_value"], got["priority"]) == (110, 110.01, 70.01)


def test_a_slow_sku_wanting_less_than_a_unit_at_its_reorder_point_can_be_pulled_forward():
    """Bug caught: a pull-forward candidate wanting under one unit at its reorder point
    (TINY sells 0.05 a day: reorder point 0.35, order-up-to 0.7, so 0.7 wanted from a
    floored reorder point of 0) dropped as if it wanted nothing; rounded up, it orders 1.
    ACME's minimum of 1,000.00 is out of reach, so TINY is pulled onto LOW's order."""
    forecast = pl.concat([_forecast(["LOW"]), _forecast(["TINY"], per_day=0.05)])
    catalog = _catalog([{"sku": "LOW", "supplier": "ACME"}, {"sku": "TINY", "supplier": "ACME"}])
    got = _recommend(
        forecast,
        catalog,
        _stock([("LOW", 30, 0), ("TINY", 1, 0)]),
        history=_history({"LOW": 10.0, "TINY": 0.05}),
        abc=pl.DataFrame({"sku": ["LOW", "TINY"], "abc_class": ["B", "B"]}),
        suppliers={"by_name": {"ACME": {"min_order_value": 1000}}},
    )
    assert got.select("sku", "order_qty", "pulled_forward").rows() == [
        ("LOW", 110, False),
        ("TINY", 1, True),
    ]
