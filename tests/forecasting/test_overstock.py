"""Overstock and slow movers on a hand-made catalog: every value computed by hand."""

import datetime as dt

import polars as pl
import pytest

from config.settings import InventorySettings
from forecasting.demand_rate import planning_demand_rate
from forecasting.overstock import overstock, with_stock_status

AS_OF = dt.date(2024, 7, 1)


def _forecast(per_day: dict[str, float], days: int = 28) -> pl.DataFrame:
    """Every calendar day after AS_OF, ``days`` of them, at the SKU's rate."""
    return pl.DataFrame(
        [
            {"sku": sku, "day": AS_OF + dt.timedelta(days=n), "forecast": rate}
            for sku, rate in per_day.items()
            for n in range(1, days + 1)
        ]
    )


def _rates(forecast: pl.DataFrame, inventory: InventorySettings) -> pl.DataFrame:
    """The planning rate of every catalog SKU: its forecast (all reliable here), 0 without
    one (no sales history is given)."""
    history = pl.DataFrame(schema={"sku": pl.String, "day": pl.Date, "units": pl.Float64})
    skus = CATALOG["sku"].to_list()
    return planning_demand_rate(forecast, history, skus, AS_OF, inventory, range(1, 8))


CATALOG = pl.DataFrame(
    {
        "sku": ["FAST", "SLOW", "DEAD", "LEAN", "NOPRICE", "FEE"],
        "description": ["fast mug", "slow vase", "dead lamp", "lean cup", "no price", "postage"],
        "supplier": ["A", "A", "B", "B", "B", None],
        "unit_cost": [2.0, 12.5, 4.0, 1.0, 3.0, 1.0],
        "unit_price": [5.0, 30.0, 10.0, 2.0, None, 1.0],
        "is_product": [True, True, True, True, True, False],
    }
)
STOCK = pl.DataFrame(
    {
        # FAST counted in two locations: 300 + 100
        "sku": ["FAST", "FAST", "SLOW", "DEAD", "LEAN", "NOPRICE", "FEE", "GONE"],
        "on_hand": [300, 100, 40, 25, 50, 10, 99, 0],
    }
)
LAST_SALES = pl.DataFrame(
    {
        "sku": ["FAST", "SLOW", "DEAD", "LEAN", "NOPRICE"],
        "last_sale_date": [AS_OF, AS_OF - dt.timedelta(days=20), AS_OF - dt.timedelta(days=120)]
        + [AS_OF, AS_OF - dt.timedelta(days=90)],
    }
)


@pytest.fixture(scope="module")
def table():
    # FAST 2/day, SLOW 0.1/day, LEAN 1.1/day (1.1 x 30 = 33.000000000000004 in floats);
    # DEAD and NOPRICE have no forecast (0 a day).
    forecast = _forecast({"FAST": 2.0, "SLOW": 0.1, "LEAN": 1.1})
    inventory = InventorySettings(
        overstock_cover_days=30, slow_mover_days=90, markdown_discount=0.4, return_credit_share=0.5
    )
    return overstock(STOCK, CATALOG, _rates(forecast, inventory), LAST_SALES, AS_OF, inventory)


def test_overstock_values_by_hand(table):
    """Bug caught: capital tied beyond the cover, or what a markdown or a return frees,
    computed on the wrong units or price (e.g. all stock instead of the excess)."""
    rows = {row["sku"]: row for row in table.iter_rows(named=True)}
    fast = rows["FAST"]
    # 400 on hand, 2/day x 30 days = 60 kept: 340 excess x 2.00 = 680.00 tied;
    # a return credits half the cost (340.00), a 40 % markdown brings 340 x 5 x 0.6 = 1020.00
    assert (fast["on_hand"], fast["cover_units"], fast["excess_units"]) == (400, 60, 340)
    assert (fast["excess_value"], fast["return_credit"], fast["markdown_proceeds"]) == (
        680.0,
        340.0,
        1020.0,
    )
    assert fast["days_of_cover"] == pytest.approx(200.0)
    slow = rows["SLOW"]
    # 0.1/day x 30 = 3 kept: 37 x 12.50 = 462.50; return 231.25; markdown 37 x 30 x 0.6 = 666.00
    assert (slow["cover_units"], slow["excess_units"], slow["excess_value"]) == (3, 37, 462.5)
    assert (slow["return_credit"], slow["markdown_proceeds"]) == (231.25, 666.0)
    assert slow["no_recent_sale"] is False
    # 1.1 x 30 is 33 units, not 34 by float noise: 50 - 33 = 17 excess
    assert (rows["LEAN"]["cover_units"], rows["LEAN"]["excess_units"]) == (33, 17)
    assert table["sku"].to_list() == ["FAST", "SLOW", "DEAD", "NOPRICE", "LEAN"]  # by value
    assert table["as_of"].unique().to_list() == [AS_OF]


def test_no_sale_skus_are_slow_movers_with_all_their_stock_excess(table):
    """Bug caught: a SKU that stopped selling (so has no forecast) missing from the table,
    or valued as if it still sold."""
    rows = {row["sku"]: row for row in table.iter_rows(named=True)}
    dead = rows["DEAD"]
    assert (dead["days_since_last_sale"], dead["no_recent_sale"]) == (120, True)
    assert (dead["daily_demand"], dead["days_of_cover"], dead["excess_units"]) == (0.0, None, 25)
    assert dead["excess_value"] == 100.0
    # exactly 90 days without a sale is a slow mover; no unit price: no markdown value
    no_price = rows["NOPRICE"]
    assert (no_price["no_recent_sale"], no_price["markdown_proceeds"]) == (True, None)
    assert no_price["excess_value"] == 30.0 and rows["FAST"]["no_recent_sale"] is False
    # not a product (FEE) and nothing on hand (GONE) are never overstock
    assert not {"FEE", "GONE"} & set(rows)


def test_unknown_return_credit_is_full_cost_and_stock_within_cover_is_not_listed():
    """Bug caught: a shop without a supplier return rate credited nothing for returns."""
    forecast = _forecast({"FAST": 2.0, "SLOW": 0.1, "LEAN": 1.1})
    inventory = InventorySettings(overstock_cover_days=180, return_credit_share=None)
    table = overstock(
        STOCK.filter(pl.col("sku").is_in(["FAST", "LEAN"])),
        CATALOG,
        _rates(forecast, inventory),
        LAST_SALES,
        AS_OF,
        inventory,
    )
    # FAST: 2 x 180 = 360 kept, 40 excess x 2.00 = 80.00 credited in full; LEAN: 198 > 50
    assert table.select("sku", "excess_units", "return_credit").rows() == [("FAST", 40, 80.0)]


def test_no_rate_counts_as_no_demand_and_an_uncounted_sku_is_not_overstocked():
    """Bugs caught: a SKU without a planning rate given a negative demand instead of 0
    (the status's daily_demand read -1), and a SKU whose stock was never counted (on_hand
    unknown) listed as overstocked instead of left out. NEW has no rate and 5 in stock,
    last sold 3 days ago; GONE has no stock count."""
    as_of = dt.date(2024, 7, 1)
    plan = pl.DataFrame({"sku": ["NEW", "GONE"], "on_hand": [5, None]})
    rates = pl.DataFrame({"sku": ["GONE"], "daily_demand": [1.0], "demand_basis": ["forecast"]})
    last_sales = pl.DataFrame(
        {"sku": ["NEW", "GONE"], "last_sale_date": [as_of - dt.timedelta(days=3)] * 2}
    )
    status = with_stock_status(plan, rates, last_sales, as_of, InventorySettings())
    rows = {row["sku"]: row for row in status.iter_rows(named=True)}
    assert (rows["NEW"]["daily_demand"], rows["NEW"]["cover_units"]) == (0.0, 0)
    assert rows["NEW"]["overstocked"] is True  # all 5 units beyond a cover of none
    assert rows["GONE"]["overstocked"] is False


def test_money_to_the_cent_and_equal_values_in_sku_order():
    """Bugs caught: excess value, return credit or markdown rounded to other than cents
    (1 x 1.234 tied is 1.23, not 1.234 or 1.2), and SKUs tying on excess value listed in
    reverse sku order. Nothing sells (no rate), so every unit on hand is excess."""
    catalog = pl.DataFrame(
        {
            "sku": ["TIE_B", "TIE_A", "ODD"],
            "unit_cost": [2.0, 2.0, 1.234],
            "unit_price": [None, None, 2.345],
        }
    )
    stock = pl.DataFrame({"sku": ["TIE_B", "TIE_A", "ODD"], "on_hand": [10, 10, 1]})
    no_rates = pl.DataFrame(
        schema={"sku": pl.String, "daily_demand": pl.Float64, "demand_basis": pl.String}
    )
    last_sales = pl.DataFrame({"sku": ["TIE_B", "TIE_A", "ODD"], "last_sale_date": [AS_OF] * 3})
    inventory = InventorySettings(markdown_discount=0.4, return_credit_share=0.5)
    table = overstock(stock, catalog, no_rates, last_sales, AS_OF, inventory)
    assert table["sku"].to_list() == ["TIE_A", "TIE_B", "ODD"]  # 20.00, 20.00, 1.23
    odd = table.row(2, named=True)
    # 1 x 1.234 = 1.234 tied; half of it returned, 0.617; 1 x 2.345 x 0.6 = 1.407 marked down
    assert (odd["excess_value"], odd["return_credit"], odd["markdown_proceeds"]) == (
        1.23,
        0.62,
        1.41,
    )


def test_listed_needs_stock_and_one_unit_beyond_cover_or_no_sale_ever():
    """Bugs caught: a SKU with nothing on hand and no recent sale called overstocked (the
    reorder list would then never order it), one unit beyond the cover not counted as
    excess, and a SKU that never sold not a slow mover. EMPTY: 0 on hand, last sold 200
    days ago; ONE: 31 on hand, a cover of 30, sold today; NEVER: 5 on hand within its
    cover of 30, no sale in the data."""
    plan = pl.DataFrame({"sku": ["EMPTY", "ONE", "NEVER"], "on_hand": [0, 31, 5]})
    rates = pl.DataFrame(
        {"sku": ["ONE", "NEVER"], "daily_demand": [1.0, 1.0], "demand_basis": ["forecast"] * 2}
    )
    last_sales = pl.DataFrame(
        {"sku": ["EMPTY", "ONE"], "last_sale_date": [AS_OF - dt.timedelta(days=200), AS_OF]}
    )
    inventory = InventorySettings(overstock_cover_days=30, slow_mover_days=90)
    status = with_stock_status(plan, rates, last_sales, AS_OF, inventory)
    rows = {row["sku"]: row for row in status.iter_rows(named=True)}
    assert (rows["EMPTY"]["no_recent_sale"], rows["EMPTY"]["overstocked"]) == (True, False)
    assert (rows["ONE"]["excess_units"], rows["ONE"]["overstocked"]) == (1, True)
    never = rows["NEVER"]
    assert (never["excess_units"], never["no_recent_sale"], never["overstocked"]) == (0, True, True)
