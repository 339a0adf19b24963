"""marts.sku_demand_daily: demand_units without stock adjustments and quick reversals; partial last day."""

from datetime import date, datetime

from tests.assets.sql.test_orders_and_demand import MODELS, line


def _build(warehouse, lines: list[dict]) -> dict:
    warehouse.insert("orders", lines)
    warehouse.build(*MODELS)
    return {(r["sku"], r["day"]): r for r in warehouse.rows("select * from marts.sku_demand_daily")}


def test_reversal_within_24_hours_is_not_demand_but_a_later_return_is(warehouse):
    rows = _build(
        warehouse,
        [
            line("A", "2011-03-01 10:00", "X", 5, 2.0),
            line("C1", "2011-03-02 09:00", "X", -5, 2.0),  # 23 h later, same customer and quantity
            line("B", "2011-03-01 11:00", "Y", 4, 3.0),
            line("C2", "2011-03-03 12:00", "Y", -4, 3.0),  # 49 h later: a return, not a reversal
            line("D", "2011-03-01 12:00", "Z", 3, 1.0),
            line("C3", "2011-03-01 13:00", "Z", -3, 1.0, customer="c9"),  # another customer
            line("E", "2011-03-02 10:00", "X", -2, 0.0),  # stock adjustment: no C, no price
            line("F", "2011-03-02 11:00", "X", 7, 0.0),  # free units at zero price: adjustment
        ],
    )
    x1, x2 = rows[("X", date(2011, 3, 1))], rows[("X", date(2011, 3, 2))]
    assert (x1["units_sold"], x1["units_reversed"], x1["demand_units"], x1["units"]) == (5, 5, 0, 5)
    assert (x2["units_cancelled"], x2["units_adjusted"], x2["demand_units"], x2["units"]) == (
        5,
        5,
        0,
        -5,
    )
    y1, y3 = rows[("Y", date(2011, 3, 1))], rows[("Y", date(2011, 3, 3))]
    assert (y1["demand_units"], y1["units_reversed"], y3["units"], y3["demand_units"]) == (
        4,
        0,
        -4,
        0,
    )
    assert rows[("Z", date(2011, 3, 1))]["demand_units"] == 3


def test_a_last_day_cut_mid_day_is_partial(warehouse):
    rows = _build(
        warehouse,
        [
            line("A", "2011-02-22 17:30", "X", 1, 1.0),  # Tuesday, closes 17:30
            line("B", "2011-03-01 18:10", "X", 1, 1.0),  # Tuesday, closes 18:10
            line("C", "2011-03-07 16:00", "X", 1, 1.0),  # Monday: no earlier Monday, not partial
            line("D", "2011-03-08 12:50", "X", 1, 1.0),  # Tuesday, export cut at 12:50
        ],
    )
    partial = sorted(day for (sku, day), r in rows.items() if r["is_partial_day"])
    assert partial == [date(2011, 3, 8)]


def test_a_last_day_that_closes_late_enough_is_complete(warehouse):
    rows = _build(
        warehouse,
        [
            line("A", "2011-03-01 17:30", "X", 1, 1.0),
            line("B", "2011-03-08 17:45", "X", 1, 1.0),
        ],
    )
    assert not any(r["is_partial_day"] for r in rows.values())
    assert datetime(2011, 3, 8).date() in {day for _, day in rows}


def test_the_reversal_window_includes_its_edge_and_nothing_beyond_or_before(warehouse):
    """Catches: a strict `<` at the 24-hour window's end; a window a minute (or an hour)
    too long; no lower bound, so a cancellation booked before the sale reverses it."""
    rows = _build(
        warehouse,
        [
            line("P", "2011-03-01 10:00", "X", 2, 2.0),
            line("CP", "2011-03-02 10:00", "X", -2, 2.0),  # exactly 24 h later: reversed
            line("Q", "2011-03-01 10:00", "Y", 2, 3.0),
            line("CQ", "2011-03-02 10:01", "Y", -2, 3.0),  # 24 h 1 min later: a return
            line("CR", "2011-03-01 09:00", "Z", -2, 1.0),  # an hour before its sale
            line("R", "2011-03-01 10:00", "Z", 2, 1.0),
        ],
    )
    first = date(2011, 3, 1)
    assert [
        (sku, rows[(sku, first)]["units_reversed"], rows[(sku, first)]["demand_units"])
        for sku in ("X", "Y", "Z")
    ] == [("X", 2, 0), ("Y", 0, 2), ("Z", 0, 2)]
