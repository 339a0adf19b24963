"""Damaged lines in real-world exports: bad values, repeated keys, bytes that are not UTF-8 and
truncated files each give their documented quarantine rows, and nothing else in the warehouse
changes (tests/ingest/damage.py)."""

from __future__ import annotations

import json

import pytest

from tests.ingest.damage import DAY, GOOD_ORDER, HEALTHY, NOT_UTF8, ORDERS, TRUNCATED, load_damaged


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
                    "YYYY-MM-DD HH:MM:SS, or ISO 8601 with its UTC offset (e.g. "
                    "2024-03-05T14:22:01+01:00)"
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
                    'currency "XBT" is not an ISO 4217 currency code; export the three-letter '
                    "code, e.g. EUR"
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
