"""Plausibility bounds: values no shop can have are quarantined with the bound and its setting
named; the legitimate odd lines of the Online Retail layout still load."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl

from config.settings import HistorySettings, IngestSettings
from contract.bounds import BOUNDS, NON_PRODUCT_CODES
from contract.exports import CONTRACT
from ingest.bounds import RowBounds
from ingest.discover import export_files
from ingest.load import load_days
from ingest.multi_day import export_days

DAY = dt.date(2024, 1, 5)
TODAY = dt.date(2024, 2, 1)
BOUNDS_NOW = RowBounds.from_settings(today=TODAY)
ORDERS = "order_id,ordered_at,sku,quantity,unit_price,order_status\n"
MACROS = Path(__file__).parents[2] / "assets" / "sql" / "macros.sql"


def write(exports: Path, relative: str, content: str) -> None:
    path = exports / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)


def reasons(con, kind: str) -> dict[int, str]:
    return dict(
        con.execute(
            "select line, reason from quality.quarantine where kind = ? order by line", [kind]
        ).fetchall()
    )


def test_hostile_order_values_are_quarantined_naming_the_bound(exports, con):
    """Bug caught: an order dated 1900, a price of 1e308, a quantity of 2**63-1 or a negative
    price on a product loaded and stretched or broke every mart; a whole number too large
    for Int64 was called "not a whole number"."""
    write(
        exports,
        "orders/2024-01-05.csv",
        ORDERS
        + "O1,1900-01-01 10:00:00,MUG,2,4.5,placed\n"  # line 2
        + "O2,2024-01-05 10:00:00,MUG,2,1e308,placed\n"  # 3
        + "O3,2024-01-05 10:00:00,MUG,9223372036854775807,4.5,placed\n"  # 4
        + "O4,2024-01-05 10:00:00,MUG,2,-4.5,placed\n"  # 5
        + "O5,2024-01-05 10:00:00,MUG,99999999999999999999,4.5,placed\n"  # 6
        + "O6,2024-01-05 10:00:00,MUG,2,1e400,placed\n"  # 7
        + "O7,2024-01-05 10:00:00,MUG,-3,4.5,placed\n"  # 8
        + "O8,2024-01-08 10:00:00,MUG,3,4.5,placed\n"  # 9: three days after its export
        + "O9,2024-01-05 10:00:00,MUG,3,4.5,placed\n",  # 10: loads (control)
    )
    report = load_days(con, exports, "orders", [DAY], bounds=BOUNDS_NOW)
    got = reasons(con, "orders")
    assert report.rows_read == report.rows_loaded + report.rows_quarantined == 9
    assert sorted(got) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert got[2].startswith('ordered_at "1900-01-01 10:00:00" is before history.first_day')
    assert "ingest.max_unit_price (10,000,000)" in got[3]
    assert got[4].startswith(
        'quantity "9223372036854775807" is out of range: beyond ingest.max_units'
    )
    assert got[5].startswith('unit_price "-4.5" is negative on product "MUG"')
    assert got[6].startswith('quantity "99999999999999999999" is a whole number out of range')
    assert "not a whole number" not in got[6]
    assert got[7].startswith('unit_price "1e400" is a number out of range')
    assert got[8].startswith('quantity "-3" is negative on a placed line of "MUG" priced "4.5"')
    assert "ingest.max_days_ahead (1) days after its export day 2024-01-05" in got[9]


def test_the_online_retail_odd_lines_still_load(exports, con):
    """Bug caught: bounds that quarantine the demo's real lines: bad-debt adjustments at a
    negative price (code B), zero-priced stock write-offs with negative units on a placed
    invoice, a manual adjustment taking units back at a price, cancellations, and lines at
    the largest sizes of the real export."""
    write(
        exports,
        "orders/2011-08-12.csv",
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "A563186,B,Adjust bad debt,1,8/12/2011 14:51,-11062.06,,United Kingdom\n"
        "562047,21161,check,-9600,8/12/2011 10:00,0,,United Kingdom\n"
        "C556445,M,Manual,-1,8/12/2011 11:00,38970,15098.0,United Kingdom\n"
        "562048,M,Manual,-1,8/12/2011 12:00,10,,United Kingdom\n"
        "581483,23843,PAPER CRAFT,80995,8/12/2011 09:15,2.08,16446.0,United Kingdom\n",
    )
    report = load_days(con, exports, "orders", bounds=BOUNDS_NOW)
    assert (report.rows_loaded, report.rows_quarantined) == (5, 0)


def test_the_bounds_are_settings(exports, con):
    """Bug caught: bounds hard-coded for a gift shop, so a B2B shop's machines (a price of
    2e7) or a shop whose history starts later could not say what is plausible for it."""
    write(
        exports,
        "orders/2024-01-05.csv",
        ORDERS
        + "O1,2024-01-05 10:00:00,PRESS,1,20000000,placed\n"
        + "O2,2023-12-31 23:00:00,MUG,2,4.5,placed\n"
        + "O3,2024-01-09 10:00:00,MUG,2,4.5,placed\n",
    )
    b2b = RowBounds.from_settings(
        IngestSettings(max_unit_price=1e8, max_days_ahead=5),
        HistorySettings(first_day="2024-01-01"),
        today=TODAY,
    )
    load_days(con, exports, "orders", bounds=b2b)
    got = reasons(con, "orders")
    assert list(got) == [3]
    assert "history.first_day (2024-01-01)" in got[3]


def test_a_multi_day_file_gives_out_of_bound_rows_no_day_of_their_own(exports, con):
    """Bug caught: a history file's row dated 1900 or 2999 became an export day of its own,
    so the run asked for history.first_day 1900 or refused a day in the future."""
    write(
        exports,
        "orders/history.csv",
        ORDERS
        + "O1,2024-01-05 10:00:00,MUG,2,4.5,placed\n"
        + "O2,1900-01-01 10:00:00,MUG,2,4.5,placed\n"
        + "O3,2024-01-07 10:00:00,MUG,2,4.5,placed\n"
        + "O4,2999-01-05 10:00:00,MUG,3,4.5,placed\n",
    )
    report = load_days(con, exports, "orders", bounds=BOUNDS_NOW)
    assert report.days == (dt.date(2024, 1, 5), dt.date(2024, 1, 7))
    rows = con.execute(
        "select export_date, line, reason from quality.quarantine order by line"
    ).fetchall()
    assert [(day, line) for day, line, _ in rows] == [(DAY, 3), (DAY, 5)]
    assert f"after its export day (today, {TODAY})" in rows[1][2]
    logged = con.execute("select sum(rows_read), sum(rows_quarantined) from quality.load_log")
    assert logged.fetchall() == [(4, 2)]
    # The days a run covers (CLI, sensor) are found under the same bounds as the load.
    files = export_files(exports, "orders")
    assert export_days(exports, files, BOUNDS_NOW) == [DAY, dt.date(2024, 1, 7)]
    later = RowBounds.from_settings(history=HistorySettings(first_day="2024-01-06"), today=TODAY)
    assert export_days(exports, files, later) == [dt.date(2024, 1, 7)]


def test_every_kind_has_its_bounds(exports, con):
    """Bug caught: a star rating of 7, an NPS of 11, stock on order below zero, a lead time
    of 10,000 days, a pack size below zero, an event worth 1e300 or a delivery promised in
    2100 loaded and skewed ratings, reorder quantities and revenue."""
    files = {
        "feedback/2024-01-05.csv": "feedback_id,submitted_at,feedback_type,rating,nps_score\n"
        "f1,2024-01-05 10:00,review,7,\nf2,2024-01-05 10:00,nps,,11\nf3,2024-01-05 10:00,review,5,\n",
        "inventory/2024-01-05.csv": "snapshot_date,sku,on_hand,on_order\n"
        "2024-01-05,S1,4,-1\n2024-01-05,S2,4,2\n",
        "catalog/2024-01-05.csv": "sku,unit_cost,lead_time_days,pack_size\n"
        "S1,0.8,10000,1\nS2,0.8,14,-6\nS3,1e308,14,6\nS4,0.8,14,6\n",
        "traffic/2024-01-05.csv": "event_at,event_name,user_id,value\n"
        "2024-01-05 09:00:00,purchase,u1,1e300\n1900-01-05 09:00:00,page_view,u1,\n"
        "2024-01-05 09:00:00,page_view,u2,\n",
        "shipments/2024-01-05.csv": "order_id,shipped_at,promised_date\n"
        "X1,2024-01-05 09:00:00,2100-01-01\nX2,2024-01-05 09:00:00,2024-01-08\n",
    }
    for relative, content in files.items():
        write(exports, relative, content)
    expected = {
        "feedback": {2: "rating", 3: "nps_score"},
        "inventory": {2: "on_order"},
        "catalog": {2: "lead_time_days", 3: "pack_size", 4: "unit_cost"},
        "traffic": {2: "value", 3: "event_at"},
        "shipments": {2: "promised_date"},
    }
    for kind, bad in expected.items():
        report = load_days(con, exports, kind, bounds=BOUNDS_NOW)
        got = reasons(con, kind)
        assert {line: reason.split(" ")[0] for line, reason in got.items()} == bad, got
        assert report.rows_loaded == report.rows_read - len(bad)


def test_every_numeric_and_date_column_has_a_bound():
    """Bug caught: a contract column added as a number or date without a bound, open again
    to 1e308 or the year 1900."""
    bounded = {(kind, column) for kind, columns in BOUNDS.items() for column in columns}
    unbounded = [
        (kind, c.name)
        for kind, columns in CONTRACT.items()
        for c in columns
        if c.dtype in (pl.Int64(), pl.Float64(), pl.Date()) or isinstance(c.dtype, pl.Datetime)
        if (kind, c.name) not in bounded
    ]
    assert unbounded == []


def test_staging_knows_the_same_non_product_codes():
    """Bug caught: ingest letting a negative price through on a code that staging counts as
    merchandise (or the reverse), because the two lists drifted apart."""
    listed = re.search(r"upper\(trim\(sku\)\) in \(([^)]*)\)", MACROS.read_text()).group(1)
    assert tuple(re.findall(r"'([^']*)'", listed)) == NON_PRODUCT_CODES


def test_the_smallest_whole_number_is_out_of_range_too():
    """Catches a magnitude check written as abs(value) > limit: polars' abs of Int64's
    minimum, -2**63, wraps to itself, which is not above any limit, so the row loaded."""
    from ingest.bounds import _value_problems

    bound = BOUNDS["orders"]["quantity"]
    problems = _value_problems("quantity", pl.col("quantity"), bound, BOUNDS_NOW)
    flagged = pl.DataFrame({"quantity": [-(2**63), 5]}).select(
        pl.any_horizontal([problem.failed for problem in problems])
    )
    assert flagged.to_series().to_list() == [True, False]


def _flagged(problems, frame: pl.DataFrame) -> list[bool]:
    return frame.select(pl.any_horizontal([p.failed for p in problems])).to_series().to_list()


def test_a_value_at_its_limit_loads_and_one_beyond_it_does_not():
    """Bug caught: a magnitude bound written `>= limit` (or `<= -limit`), which quarantines
    a line priced exactly at ingest.max_unit_price or selling exactly ingest.max_units; a
    limit a shop sets to its largest real value must let that value through."""
    from ingest.bounds import _limit, _value_problems

    for kind, columns in BOUNDS.items():
        for column, bound in columns.items():
            if bound.measure in ("day", "promise", "scale"):
                continue
            limit = _limit(bound, BOUNDS_NOW)[0]
            values = [float(limit), float(limit) * 1.001]
            expected = [False, True]
            if not bound.non_negative:  # signed: the same edge below zero
                values += [-float(limit), -float(limit) * 1.001]
                expected += [False, True]
            problems = _value_problems(column, pl.col(column), bound, BOUNDS_NOW)
            frame = pl.DataFrame({column: values, "__file_day": [DAY] * len(values)})
            assert _flagged(problems, frame) == expected, (kind, column)


def test_a_row_on_the_first_and_the_last_allowed_day_loads():
    """Bug caught: `day <= history.first_day` (or `day >= its last allowed day`) in the date
    bounds, which quarantines the first day of the shop's history, or an order placed on
    the latest day its export may hold."""
    from ingest.bounds import _day_problems

    bound = BOUNDS["orders"]["ordered_at"]
    first = dt.date.fromisoformat(HistorySettings().first_day)
    last = DAY + dt.timedelta(days=BOUNDS_NOW.max_days_ahead)
    days = [first - dt.timedelta(days=1), first, last, last + dt.timedelta(days=1)]
    problems = _day_problems("ordered_at", pl.col("ordered_at"), bound, BOUNDS_NOW)
    frame = pl.DataFrame({"ordered_at": days, "__file_day": [DAY] * 4})
    assert _flagged(problems, frame) == [True, False, False, True]


def test_a_whole_number_just_past_int64_is_named_out_of_range(exports, con):
    """Bug caught: the Int64 limit taken as 2**64 instead of 2**63, so 2**63 (one past the
    largest Int64) was called "not a whole number" instead of a number out of range."""
    write(
        exports,
        "orders/2024-01-05.csv",
        ORDERS + "O1,2024-01-05 10:00:00,MUG,9223372036854775808,4.5,placed\n",
    )
    load_days(con, exports, "orders", [DAY], bounds=BOUNDS_NOW)
    (reason,) = reasons(con, "orders").values()
    assert reason.startswith('quantity "9223372036854775808" is a whole number out of range')


def test_a_scale_value_at_either_end_loads():
    """Bug caught: a scale bound written `value <= low` (or `>= high`), which quarantines a
    one-star review or an NPS score of 0 or 10: the ends of a scale are its commonest
    answers."""
    from ingest.bounds import _value_problems

    for column, bound in BOUNDS["feedback"].items():
        if bound.measure != "scale":
            continue
        values = [bound.low - 1, bound.low, bound.high, bound.high + 1]
        problems = _value_problems(column, pl.col(column), bound, BOUNDS_NOW)
        frame = pl.DataFrame({column: values})
        assert _flagged(problems, frame) == [True, False, False, True], column


def test_a_multi_day_row_on_either_end_of_the_days_keeps_its_own_day():
    """Bug caught: `within_days` written with `>` or `<`, so a history file's row dated
    history.first_day, or today plus ingest.max_days_ahead, gets no export day of its own
    although the day checks let it load (cast.py routes a row by `within_days`)."""
    first = BOUNDS_NOW.first_day
    last = TODAY + dt.timedelta(days=BOUNDS_NOW.max_days_ahead)
    days = [first - dt.timedelta(days=1), first, last, last + dt.timedelta(days=1)]
    # A multi-day file gives no day of its own (null), so the last day counts from today.
    frame = pl.DataFrame(
        {"day": days, "__file_day": [None] * 4}, schema_overrides={"__file_day": pl.Date()}
    )
    within = frame.select(BOUNDS_NOW.within_days(pl.col("day"))).to_series().to_list()
    assert within == [False, True, True, False]


def test_an_amount_too_large_names_the_money_setting_to_raise(exports, con):
    """Bug caught: the advice for a money amount beyond ingest.max_unit_price x
    ingest.max_units naming the second factor, ingest.max_units (a count of units, which
    also loosens every quantity and stock bound), instead of the money setting,
    ingest.max_unit_price."""
    write(
        exports,
        "orders/2024-01-05.csv",
        "order_id,ordered_at,sku,quantity,unit_price,discount,order_status\n"
        "O1,2024-01-05 10:00:00,MUG,2,4.5,2e13,placed\n",
    )
    load_days(con, exports, "orders", [DAY], bounds=BOUNDS_NOW)
    (reason,) = reasons(con, "orders").values()
    assert reason == (
        'discount "2e13" is out of range: beyond ingest.max_unit_price x ingest.max_units '
        "(10,000,000,000,000) in magnitude; fix the value in the export, or raise "
        "ingest.max_unit_price if the shop's values are that large"
    )


def test_the_sign_and_date_rules_at_their_edges(exports, con):
    """Bugs caught: a placed line of -1 units (the smallest return) or one priced under 1
    loaded as a sale, since the rule only looked below -1 units or above a price of 1; a
    parcel delivered the instant it shipped (a shop's placeholder for a collected order)
    was quarantined as delivered before it shipped; a reason quoted a long product code to
    59 or 61 characters instead of 60; the negative-price reason named three or five of
    the fee codes instead of four."""
    sku = "S" * 70
    write(
        exports,
        "orders/2024-01-05.csv",
        ORDERS
        + "O1,2024-01-05 10:00:00,MUG,-1,4.5,placed\n"  # line 2
        + "O2,2024-01-05 10:00:00,MUG,-3,0.5,placed\n"  # 3
        + f"O3,2024-01-05 10:00:00,{sku},2,-4.5,placed\n"  # 4
        + "O4,2024-01-05 10:00:00,MUG,3,4.5,placed\n",  # 5: loads (control)
    )
    write(
        exports,
        "shipments/2024-01-05.csv",
        "order_id,shipped_at,delivered_at\n"
        "X1,2024-01-05 09:00:00,2024-01-05 09:00:00\n"  # line 2: loads
        "X2,2024-01-05 09:00:00,2024-01-05 08:59:00\n",  # 3
    )
    load_days(con, exports, "orders", [DAY], bounds=BOUNDS_NOW)
    got = reasons(con, "orders")
    assert sorted(got) == [2, 3, 4]
    assert got[2].startswith('quantity "-1" is negative on a placed line of "MUG"')
    assert got[3].startswith('quantity "-3" is negative on a placed line of "MUG" priced "0.5"')
    assert got[4].startswith(f'unit_price "-4.5" is negative on product "{sku[:60]}"; ')
    assert "only fee and adjustment codes (POST, D, M, DOT, ...) take" in got[4]
    load_days(con, exports, "shipments", [DAY], bounds=BOUNDS_NOW)
    assert sorted(reasons(con, "shipments")) == [3]
