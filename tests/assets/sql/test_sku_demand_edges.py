"""marts.sku_demand_daily at the edges of what counts: which lines are sales, orders and
revenue, which line a cancellation reverses, which days are open, where a SKU's days begin
and when the last day is partial. 2011-03-01 is a Tuesday; every weekday but Saturday trades."""

from datetime import date

from tests.assets.sql.test_orders_and_demand import line
from tests.assets.sql.test_sku_demand_daily import _build

# order ids starting with C are cancellations (status cancelled), the others placed


def test_orders_count_sale_orders_once_and_revenue_leaves_out_adjustments(warehouse):
    """Catches count(*) for count(distinct order_id) (order A's two identical lines counted
    as two orders: 3, not 2), the sale filter dropped from orders (the unmatched
    cancellation C9 counted as an order: 3) and from revenue (the stock adjustment E, a
    negative placed line, taken off: 2.0, not 4.0)."""
    rows = _build(
        warehouse,
        [
            line("A", "2011-03-01 10:00", "X", 1, 2.0),
            line("A", "2011-03-01 10:00", "X", 1, 2.0),  # an identical second line of A
            line("B", "2011-03-01 11:00", "X", 1, 2.0),
            line("C9", "2011-03-01 12:00", "X", -1, 2.0, customer="c9"),  # no sale of c9
            line("E", "2011-03-01 13:00", "X", -1, 2.0),  # placed, negative: an adjustment
        ],
    )
    day = rows[("X", date(2011, 3, 1))]
    # revenue: sales 2 + 2 + 2 and the cancellation -2; the adjustment is in neither
    assert (day["orders"], day["units_sold"], day["revenue"]) == (2, 3, 4.0)


def test_a_cancellation_reverses_a_sale_never_free_units(warehouse):
    """Catches the `s.is_sale` condition dropped from the reversals: the cancellation C1
    reversed the free units F (zero price, an adjustment) booked an hour before it instead
    of the sale A 23 hours before, so A's day kept 2 units of demand that were an order
    mistake."""
    rows = _build(
        warehouse,
        [
            line("A", "2011-03-01 10:00", "X", 2, 2.0),
            line("F", "2011-03-02 08:00", "X", 2, 0.0),
            line("C1", "2011-03-02 09:00", "X", -2, 2.0),
        ],
    )
    first, second = rows[("X", date(2011, 3, 1))], rows[("X", date(2011, 3, 2))]
    assert (first["units_reversed"], first["demand_units"]) == (2, 0)
    assert (second["units_reversed"], second["units_adjusted"]) == (0, 2)


def test_a_day_with_only_a_cancellation_is_closed(warehouse):
    """Catches the open days taken from every line, not only placed orders: Wednesday
    03-02, whose only line is a cancellation, became a trading day of zero demand."""
    rows = _build(
        warehouse,
        [
            line("A", "2011-03-01 10:00", "X", 1, 1.0),
            line("C5", "2011-03-02 10:00", "X", -1, 1.0, customer="c5"),
            line("B", "2011-03-03 10:00", "X", 1, 1.0),
        ],
    )
    assert [rows[("X", date(2011, 3, d))]["is_trading_day"] for d in (1, 2, 3)] == [
        True,
        False,
        True,
    ]


def test_a_skus_days_begin_at_its_first_sale_not_an_earlier_return(warehouse):
    """Catches the first day taken from any line: the return C7 of a purchase made before
    the data (03-01) started X's zero-filled days two days before its first sale (03-03)."""
    rows = _build(
        warehouse,
        [
            line("C7", "2011-03-01 10:00", "X", -1, 1.0, customer="c7"),
            line("A", "2011-03-03 10:00", "X", 1, 1.0),
        ],
    )
    assert sorted(day for sku, day in rows if sku == "X") == [date(2011, 3, 3)]


def test_a_last_day_closing_exactly_when_the_earlier_one_did_is_complete(warehouse):
    """Catches `<=` for `<` in the partial-day test: the last Tuesday's last order came at
    17:30, as on the Tuesday before, so the export was not cut early."""
    rows = _build(
        warehouse,
        [
            line("A", "2011-03-01 17:30", "X", 1, 1.0),
            line("B", "2011-03-08 17:30", "X", 1, 1.0),
        ],
    )
    assert not any(r["is_partial_day"] for r in rows.values())


def test_a_cancellation_of_part_of_a_sale_reverses_none_of_it(warehouse):
    """Catches the quantity match dropped from the reversals: cancelling 1 of the 3 units
    an hour after the sale reversed all 3, so the day lost its demand (0, not 3). Only a
    cancellation of the same quantity is an order mistake; a smaller one is a return."""
    rows = _build(
        warehouse,
        [
            line("A", "2011-03-01 10:00", "X", 3, 2.0),
            line("C1", "2011-03-01 11:00", "X", -1, 2.0),
        ],
    )
    day = rows[("X", date(2011, 3, 1))]
    assert (day["units_sold"], day["units_cancelled"], day["units_reversed"]) == (3, 1, 0)
    assert (day["demand_units"], day["units"]) == (3, 2)


def test_a_cancellation_booked_the_same_minute_as_its_sale_reverses_it(warehouse):
    """Catches `<` for `<=` at the reversal window's start: an order cancelled in the minute
    it was placed (an Online Retail C-invoice stamped with the sale's time) stayed demand
    (2, not 0)."""
    rows = _build(
        warehouse,
        [
            line("A", "2011-03-01 10:00", "X", 2, 2.0),
            line("C1", "2011-03-01 10:00", "X", -2, 2.0),
        ],
    )
    day = rows[("X", date(2011, 3, 1))]
    assert (day["units_sold"], day["units_reversed"], day["demand_units"]) == (2, 2, 0)
