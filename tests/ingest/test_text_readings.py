"""A number or boolean column's text reads the same whichever way the loader takes: the
shortcut for a column of plain whole numbers, or the general parse of every other column."""

from __future__ import annotations

import datetime as dt

from ingest.load import load_days
from tests.ingest.damage import write

DAY = dt.date(2024, 1, 5)


def test_a_whole_number_written_with_a_decimal_point_loads(exports, con):
    """Bug caught: a whole-number column with a value the integer reader refuses ("2.0")
    read by the integer reader anyway, so "2.0" loads as missing and its line is
    quarantined as "not a whole number"; the contract reads it as 2."""
    write(
        exports,
        "orders/2024-01-05.csv",
        "order_id,ordered_at,sku,quantity,unit_price\n"
        "O1,2024-01-05 10:00:00,MUG,2.0,4.5\n"
        "O2,2024-01-05 11:00:00,MUG,3,4.5\n",
    )
    report = load_days(con, exports, "orders", [DAY])
    assert (report.rows_loaded, report.rows_quarantined) == (2, 0)
    rows = con.execute("select order_id, quantity from raw.orders order by order_id")
    assert rows.fetchall() == [("O1", 2), ("O2", 3)]


def test_a_boolean_column_of_digits_other_than_0_and_1_is_quarantined(exports, con):
    """Bug caught: the whole-number shortcut taken for a boolean column whose every value
    is digits, so "2" loads as a number (which the warehouse then calls true) instead of
    being quarantined as neither true nor false."""
    write(exports, "catalog/2024-01-05.csv", "sku,unit_cost,is_product\nS1,1,1\nS2,1,2\n")
    report = load_days(con, exports, "catalog", [DAY])
    assert (report.rows_loaded, report.rows_quarantined) == (1, 1)
    assert con.execute("select sku, is_product from raw.catalog").fetchall() == [("S1", True)]
    assert con.execute("select line, raw_value, reason from quality.quarantine").fetchall() == [
        (3, "2", 'is_product "2" is not true or false')
    ]


def test_a_whole_number_near_the_int64_limit_in_exponent_form_is_whole(exports, con):
    """Bug caught: the whole-number reading bounded below 2**63 by a smaller power, so
    5e18 (between 2**62 and 2**63, a whole number Int64 holds) is called "not a whole
    number"; it is one, and only the units bound refuses it."""
    write(
        exports,
        "orders/2024-01-05.csv",
        "order_id,ordered_at,sku,quantity,unit_price\nO1,2024-01-05 10:00:00,MUG,5e18,4.5\n",
    )
    load_days(con, exports, "orders", [DAY])
    (reason,) = con.execute("select reason from quality.quarantine").fetchone()
    assert reason.startswith('quantity "5e18" is out of range: beyond ingest.max_units')
