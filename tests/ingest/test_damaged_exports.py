"""Damaged real-world exports: each damage gives its documented quarantine rows or error.

Every test starts from a healthy warehouse (all kinds loaded, several days), damages one
export file, loads its day and checks two things: exactly the documented quarantine rows
(line, column, raw value, reason) or error, and that nothing else in the warehouse changed
(only that day of that kind, or nothing at all when the file is rejected).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from ingest.contract import RAW_TABLE
from ingest.load import load_days
from ingest.source import ExportFileError

DAY = dt.date(2024, 1, 5)
ORDERS = "order_id,ordered_at,sku,quantity,unit_price,currency\n"
GOOD_ORDER = "A1,2024-01-05 10:00,S1,2,1.50,GBP\n"
HEALTHY = {
    "orders/2024-01-04.csv": ORDERS + "Z1,2024-01-04 09:00,S1,1,1.50,GBP\n",
    "orders/2024-01-05.csv": ORDERS + GOOD_ORDER + "A2,2024-01-05 11:00,S2,1,3.00,GBP\n",
    "orders/2024-01-06.csv": ORDERS + "Z2,2024-01-06 09:00,S1,0,1.50,GBP\n",
    "traffic/2024-01-05.csv": (
        "event_at,event_name,user_id,event_id\n2024-01-05 09:00:00,page_view,u1,e1\n"
    ),
    "feedback/2024-01-05.jsonl": json.dumps(
        {"feedback_id": "f1", "submitted_at": "2024-01-05 12:00", "feedback_type": "nps"}
    )
    + "\n",
    "inventory/2024-01-05.csv": "snapshot_date,sku,on_hand,location\n2024-01-05,S1,4,\n",
    "catalog/2024-01-05.csv": "sku,unit_cost,lead_time_days\nS1,0.8,14\n",
}
NOT_UTF8 = (
    "line is not UTF-8 text (the raw value shows the bad bytes as \\xNN); "
    "re-export the file as UTF-8"
)
TRUNCATED = "truncated last line (the file ends mid-row): re-export the day"


def write(exports, relative: str, content: str | bytes) -> None:
    path = exports / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)


@pytest.fixture
def healthy(exports, con):
    """A warehouse holding every kind (orders on three days), one row quarantined."""
    for relative, content in HEALTHY.items():
        write(exports, relative, content)
    for kind in RAW_TABLE:
        load_days(con, exports, kind)
    return exports


def warehouse_except(con, kind: str | None = None, day: dt.date | None = None) -> dict:
    """Every raw and quality row (without loaded_at), less the rows of one kind and day."""
    tables = {}
    for table_kind, table in RAW_TABLE.items():
        where = (
            "_export_date is distinct from $day" if table_kind == kind else "$day is null or true"
        )
        tables[f"raw.{table}"] = con.execute(
            f"select * from raw.{table} where {where} order by all", {"day": day}
        ).fetchall()
    for table in ("quality.quarantine", "quality.load_log"):
        tables[table] = con.execute(
            f"select * exclude (loaded_at) from {table} "
            "where not (kind is not distinct from $kind and export_date is not distinct from $day) "
            "order by all",
            {"kind": kind, "day": day},
        ).fetchall()
    return tables


def load_damaged(exports, con, relative: str, content: str | bytes):
    """Load one damaged file's day; only that day of that kind may change.

    Returns:
        (report, the day's quarantine rows as (line, column_name, raw_value, reason)).
    """
    kind = relative.split("/")[0]
    before = warehouse_except(con, kind, DAY)
    write(exports, relative, content)
    report = load_days(con, exports, kind, [DAY])
    assert warehouse_except(con, kind, DAY) == before
    (result,) = report.files
    assert result.rows_read == result.rows_loaded + result.rows_quarantined
    assert con.execute(
        "select rows_read, rows_loaded, rows_quarantined from quality.load_log "
        "where kind = ? and export_date = ?",
        [kind, DAY],
    ).fetchall() == [(result.rows_read, result.rows_loaded, result.rows_quarantined)]
    quarantined = con.execute(
        "select line, column_name, raw_value, reason from quality.quarantine "
        "where kind = ? and export_date = ? order by line",
        [kind, DAY],
    ).fetchall()
    return report, quarantined


def rejected(exports, con, relative: str, content: str | bytes, days=(DAY,)) -> str:
    """Load a file that is not an export: it raises and the warehouse does not change."""
    before = warehouse_except(con)
    write(exports, relative, content)
    with pytest.raises(ExportFileError) as error:
        load_days(con, exports, relative.split("/")[0], list(days))
    assert warehouse_except(con) == before
    return str(error.value)


@pytest.mark.parametrize(
    ("line", "quarantined"),
    [
        (
            "A2,2024-01-05 11:00,S2,two,3.00,GBP",
            (
                3,
                "quantity",
                "two",
                'quantity "two" is not a whole number; export digits only, e.g. 6',
            ),
        ),
        (
            "A2,2024-01-05 11:00,S2,1,3;00,GBP",
            (
                3,
                "unit_price",
                "3;00",
                'unit_price "3;00" is not a number; export digits with a dot for decimals, e.g. 2.55',
            ),
        ),
        (
            "A2,05.01.2024 11h,S2,1,3.00,GBP",
            (
                3,
                "ordered_at",
                "05.01.2024 11h",
                (
                    'ordered_at "05.01.2024 11h" is not a date-time; export shop local time as '
                    "YYYY-MM-DD HH:MM:SS (no time zone)"
                ),
            ),
        ),
        (
            ",2024-01-05 11:00,S2,1,3.00,GBP",
            (
                3,
                "order_id",
                None,
                "order_id is missing; every orders row needs order_id, fill it in the export",
            ),
        ),
        (
            "A2,2024-01-05 11:00,S2,1,3.00,XBT",
            (
                3,
                "currency",
                "XBT",
                (
                    'currency "XBT" is not accepted (GBP, EUR, USD); use an ISO 4217 code or add it '
                    "to ingest.accepted_currencies in the settings"
                ),
            ),
        ),
        (
            "A2,2024-01-05 11:00,S2,0,3.00,GBP",
            (
                3,
                "quantity",
                "0",
                (
                    "quantity is 0; an order line needs a non-zero quantity (negative for "
                    "cancellations and returns) - drop the line from the export"
                ),
            ),
        ),
    ],
    ids=["number", "decimal", "date", "missing-key", "currency", "quantity-zero"],
)
def test_a_bad_value_quarantines_its_line(healthy, con, line, quarantined):
    report, rows = load_damaged(
        healthy, con, "orders/2024-01-05.csv", ORDERS + GOOD_ORDER + line + "\n"
    )
    assert rows == [quarantined]
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (2, 1, 1)
    assert con.execute(
        "select order_id from raw.orders where _export_date = ?", [DAY]
    ).fetchall() == [("A1",)]


@pytest.mark.parametrize(
    ("relative", "content", "quarantined"),
    [
        (
            "orders/2024-01-05.csv",
            (
                "order_id,line_id,ordered_at,sku,quantity,unit_price\n"
                "A1,1,2024-01-05 10:00,S1,2,1.5\nA1,2,2024-01-05 10:00,S2,1,1.5\n"
                "A1,1,2024-01-05 10:00,S1,2,1.5\n"
            ),
            (
                4,
                "order_id, line_id",
                "A1 | 1",
                (
                    'duplicate (order_id, line_id) "A1, 1" also on line 2; that line is loaded, '
                    "export each (order_id, line_id) once per file"
                ),
            ),
        ),
        (
            "traffic/2024-01-05.csv",
            (
                "event_at,event_name,user_id,event_id\n2024-01-05 09:00:00,page_view,u1,e1\n"
                "2024-01-05 09:00:01,page_view,u1,e2\n2024-01-05 09:00:02,view_item,u1,e1\n"
            ),
            (
                4,
                "event_id",
                "e1",
                (
                    'duplicate event_id "e1" also on line 2; that line is loaded, '
                    "export each event_id once per file"
                ),
            ),
        ),
        (
            "feedback/2024-01-05.jsonl",
            "".join(
                json.dumps(
                    {"feedback_id": fid, "submitted_at": "2024-01-05 12:00", "feedback_type": "nps"}
                )
                + "\n"
                for fid in ("f1", "f2", "f1")
            ),
            (
                3,
                "feedback_id",
                "f1",
                (
                    'duplicate feedback_id "f1" also on line 1; that line is loaded, '
                    "export each feedback_id once per file"
                ),
            ),
        ),
        (
            "inventory/2024-01-05.csv",
            (
                "snapshot_date,sku,on_hand,location\n2024-01-05,S1,4,\n2024-01-05,S1,5,b\n"
                "2024-01-05,S1,6,main\n"
            ),
            (
                4,
                "snapshot_date, sku, location",
                "2024-01-05 | S1 | main",
                (
                    'duplicate (snapshot_date, sku, location) "2024-01-05, S1, main" also on line 2; '
                    "that line is loaded, export each (snapshot_date, sku, location) once per file"
                ),
            ),
        ),
        (
            "catalog/2024-01-05.csv",
            "sku,unit_cost,lead_time_days\nS1,0.8,14\nS2,1.0,7\nS1,0.9,14\n",
            (
                4,
                "sku",
                "S1",
                'duplicate sku "S1" also on line 2; that line is loaded, export each sku once per file',
            ),
        ),
    ],
    ids=["orders", "traffic", "feedback", "inventory", "catalog"],
)
def test_a_repeated_key_in_one_file_loads_the_first_and_quarantines_the_rest(
    healthy, con, relative, content, quarantined
):
    report, rows = load_damaged(healthy, con, relative, content)
    assert rows == [quarantined]
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 2, 1)


def test_a_duplicate_key_counts_only_lines_that_load(healthy, con):
    # The first e1 cannot load (bad date), so the second e1 is the first loadable one.
    _, rows = load_damaged(
        healthy,
        con,
        "traffic/2024-01-05.csv",
        "event_at,event_name,user_id,event_id\nsoon,page_view,u1,e1\n"
        "2024-01-05 09:00:01,page_view,u1,e1\n",
    )
    assert [row[:2] for row in rows] == [(2, "event_at")]
    assert con.execute("select _line from raw.traffic_events where event_id = 'e1'").fetchall() == [
        (3,)
    ]


def test_identical_lines_without_a_line_id_are_separate_lines(healthy, con):
    report, rows = load_damaged(healthy, con, "orders/2024-01-05.csv", ORDERS + GOOD_ORDER * 3)
    assert rows == []
    assert (report.rows_read, report.rows_loaded) == (3, 3)


def test_events_without_an_event_id_are_not_duplicates(healthy, con):
    report, rows = load_damaged(
        healthy,
        con,
        "traffic/2024-01-05.csv",
        "event_at,event_name,user_id,event_id\n" + "2024-01-05 09:00:00,page_view,u1,\n" * 2,
    )
    assert (rows, report.rows_loaded) == ([], 2)


def test_a_line_that_is_not_utf8_is_quarantined_with_its_bytes_shown(healthy, con):
    content = (ORDERS.rstrip("\n") + ",description\n").encode() + (
        b"A1,2024-01-05 10:00,S1,2,1.50,GBP,ok\n"
        b"A2,2024-01-05 11:00,S2,1,3.00,GBP,caf\xe9 cr\xe8me\n"
        b"A3,2024-01-05 12:00,S3,1,3.00,GBP,ok\n"
    )
    report, rows = load_damaged(healthy, con, "orders/2024-01-05.csv", content)
    assert rows == [
        (3, "description", "A2,2024-01-05 11:00,S2,1,3.00,GBP,caf\\xe9 cr\\xe8me", NOT_UTF8)
    ]
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 2, 1)


def test_a_json_line_that_is_not_utf8_is_quarantined(healthy, con):
    good = json.dumps(
        {"feedback_id": "f1", "submitted_at": "2024-01-05 12:00", "feedback_type": "nps"}
    )
    bad = b'{"feedback_id": "f2", "submitted_at": "2024-01-05 12:00", "feedback_type": "nps", "body": "\xff"}'
    report, rows = load_damaged(
        healthy, con, "feedback/2024-01-05.jsonl", good.encode() + b"\n" + bad + b"\n"
    )
    assert rows == [(2, None, bad.decode("utf-8", "backslashreplace"), NOT_UTF8)]
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (2, 1, 1)


@pytest.mark.parametrize(
    ("relative", "cut", "raw_value"),
    [
        (
            "orders/2024-01-05.csv",
            ORDERS + GOOD_ORDER + "A2,2024-01-05 11:00,S2,1",
            "A2,2024-01-05 11:00,S2,1",
        ),
        (
            "orders/2024-01-05.csv",
            ORDERS.rstrip("\n") + ",description\n" + GOOD_ORDER.rstrip("\n") + ",x\n"
            'A2,2024-01-05 11:00,S2,1,3.00,GBP,"Lantern, gla',
            "A2,2024-01-05 11:00,S2,1,3.00,GBP,Lantern, gla",
        ),
        (
            "feedback/2024-01-05.jsonl",
            HEALTHY["feedback/2024-01-05.jsonl"]
            + '{"feedback_id": "f2", "submitted_at": "2024-01-0',
            '{"feedback_id": "f2", "submitted_at": "2024-01-0',
        ),
    ],
    ids=["csv-fewer-fields", "csv-open-quote", "jsonl"],
)
def test_a_truncated_last_line_is_quarantined(healthy, con, relative, cut, raw_value):
    report, rows = load_damaged(healthy, con, relative, cut)
    line = cut.count("\n") + 1
    assert rows == [(line, None, raw_value, TRUNCATED)]
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (2, 1, 1)


def test_a_complete_last_line_without_a_newline_loads(healthy, con):
    report, rows = load_damaged(
        healthy,
        con,
        "orders/2024-01-05.csv",
        ORDERS + GOOD_ORDER + "A2,2024-01-05 11:00,S2,1,3.00,",
    )
    assert (rows, report.rows_loaded) == ([], 2)


@pytest.mark.parametrize(
    ("relative", "content", "message"),
    [
        (
            "orders/2024-01-05.csv",
            "",
            (
                "orders/2024-01-05.csv is empty; a CSV export needs its header line even on a day "
                "without rows"
            ),
        ),
        (
            "orders/2024-01-05.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "orders/2024-01-05.csv is binary, not a text export; export it as UTF-8 CSV or JSON Lines",
        ),
        (
            "orders/2024-01-05.csv",
            ORDERS.encode() + b"\xc1\xc2,\xc3\n\xd0\xd1\n\xe0\n" + GOOD_ORDER.encode(),
            (
                "orders/2024-01-05.csv: byte 53 (line 2) is not UTF-8 text, and 3 of its 5 lines "
                "are not; re-export the file as UTF-8"
            ),
        ),
        (
            "orders/2024-01-05.csv",
            b"order_id,ordered_at,sku,quantit\xe9,unit_price\n" + GOOD_ORDER.encode(),
            (
                "orders/2024-01-05.csv: byte 31 (line 1) is not UTF-8 text, and 1 of its 2 lines "
                "are not; re-export the file as UTF-8"
            ),
        ),
        (
            "orders/2024-01-05.csv",
            HEALTHY["traffic/2024-01-05.csv"],
            "orders/2024-01-05.csv is not an export of orders in a known format (missing columns: ",
        ),
        (
            "orders/2024-01-05.csv",
            "Date,Sessions,Bounce Rate\n2024-01-05,10,0.5\n",
            (
                "its header is Date, Sessions, Bounce Rate. Fix: use the contract column names "
                "(ingest/contract.py) or name the format in exports.yaml"
            ),
        ),
        (
            "catalog/2024-01-05.parquet",
            b"PAR1 cut short",
            "catalog/2024-01-05.parquet is not a readable Parquet file (",
        ),
    ],
    ids=[
        "empty",
        "binary",
        "mostly-not-utf8",
        "header-not-utf8",
        "wrong-kind",
        "unknown-header",
        "broken-parquet",
    ],
)
def test_a_file_that_is_not_an_export_loads_nothing(healthy, con, relative, content, message):
    if relative.endswith(".parquet"):
        (healthy / "catalog" / "2024-01-05.csv").unlink()
    assert message in rejected(healthy, con, relative, content)


def test_wrong_kind_names_what_was_expected(healthy, con):
    message = rejected(healthy, con, "orders/2024-01-05.csv", HEALTHY["traffic/2024-01-05.csv"])
    assert "generic needs order_id, ordered_at, sku, quantity, unit_price" in message
    assert "its header is event_at, event_name, user_id, event_id" in message


def test_one_file_that_is_not_an_export_stops_the_whole_load(healthy, con):
    write(healthy, "orders/2024-01-04.csv", ORDERS + "Z9,2024-01-04 09:00,S9,5,1.50,GBP\n")
    message = rejected(
        healthy,
        con,
        "orders/2024-01-06.csv",
        b"\x00\x00binary",
        days=(dt.date(2024, 1, 4), DAY, dt.date(2024, 1, 6)),
    )
    assert message.startswith("orders/2024-01-06.csv is binary")


def test_new_columns_are_kept_in_extra_and_reported(healthy, con):
    report, rows = load_damaged(
        healthy,
        con,
        "orders/2024-01-05.csv",
        ORDERS.rstrip("\n") + ",gift_wrap,loyalty_tier\n"
        "A1,2024-01-05 10:00,S1,2,1.50,GBP,yes,gold\nA2,2024-01-05 11:00,S2,1,3.00,GBP,,\n",
    )
    assert rows == []
    assert report.notes == [
        "orders/2024-01-05.csv: new column(s) gift_wrap, loyalty_tier kept in _extra"
    ]
    assert con.execute(
        "select order_id, _extra from raw.orders where _export_date = ? order by _line", [DAY]
    ).fetchall() == [
        ("A1", '{"gift_wrap":"yes","loyalty_tier":"gold"}'),
        ("A2", '{"gift_wrap":null,"loyalty_tier":null}'),
    ]
    assert con.execute(
        "select count(*) from raw.orders where _extra is not null and _export_date <> ?", [DAY]
    ).fetchall() == [(0,)]


def test_a_missing_required_column_names_the_file_the_column_and_the_fix(healthy, con):
    write(healthy, "exports.yaml", "orders: {format: generic}\n")
    message = rejected(
        healthy,
        con,
        "orders/2024-01-05.csv",
        "order_id,ordered_at,sku,quantity,currency\nA1,2024-01-05 10:00,S1,2,GBP\n",
    )
    assert message == (
        "orders/2024-01-05.csv is not an export of orders in the generic format named in "
        "exports.yaml: missing column(s) unit_price. Fix: export those columns or change the "
        "format in exports.yaml"
    )


def test_a_renamed_column_is_mapped_before_the_required_columns_are_checked(healthy, con):
    write(healthy, "exports.yaml", "orders: {mapping: shop_orders.yaml}\n")
    write(
        healthy,
        "shop_orders.yaml",
        "columns: {order_id: order_id, ordered_at: ordered_at, sku: sku, quantity: quantity, "
        "unit_price: price_gbp}\n",
    )
    report, rows = load_damaged(
        healthy,
        con,
        "orders/2024-01-05.csv",
        "order_id,ordered_at,sku,quantity,price_gbp,channel\nA1,2024-01-05 10:00,S1,2,1.50,web\n",
    )
    assert (rows, report.rows_loaded, report.files[0].format) == ([], 1, "mapping")
    assert report.notes == ["orders/2024-01-05.csv: new column(s) channel kept in _extra"]
    assert con.execute(
        "select order_id, unit_price, _extra from raw.orders where _export_date = ?", [DAY]
    ).fetchall() == [("A1", 1.5, '{"channel":"web"}')]
