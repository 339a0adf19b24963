"""A shipment that left before its order was placed is quarantined at ingest, with its line."""

from __future__ import annotations

import datetime as dt

from ingest.load import load_days


def test_shipped_before_ordered_is_quarantined_with_its_reason_and_line(exports, con):
    # Bug caught: such a row loaded, and only the fulfilment mart's negative days-to-ship
    # failed a blocking check downstream, naming no row.
    (exports / "orders").mkdir()
    (exports / "orders" / "2024-03-02.csv").write_text(
        "order_id,ordered_at,sku,quantity,unit_price\n"
        "A1,2024-03-02 09:00,S1,1,2.0\nA2,2024-03-02 09:30,S1,1,2.0\n"
    )
    (exports / "shipments").mkdir()
    (exports / "shipments" / "2024-03-02.csv").write_text(
        "order_id,shipped_at\n"
        "A1,2024-03-02 15:00\n"  # line 2: after the order
        "A2,2024-03-01 08:00\n"  # line 3: before the order was placed
        "Z9,2024-03-01 08:00\n"  # line 4: order not loaded: not judged
    )
    load_days(con, exports, "orders")
    report = load_days(con, exports, "shipments")
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 2, 1)
    assert con.execute(
        "select export_date, rows_read, rows_loaded, rows_quarantined from quality.load_log "
        "where kind = 'shipments'"
    ).fetchall() == [(dt.date(2024, 3, 2), 3, 2, 1)]
    assert con.execute(
        "select file, line, column_name, raw_value, reason from quality.quarantine"
    ).fetchall() == [
        (
            "shipments/2024-03-02.csv",
            3,
            "shipped_at",
            "2024-03-01 08:00:00 | 2024-03-02 09:30:00",
            'shipped_at "2024-03-01 08:00:00" is before its order was placed (ordered_at '
            '"2024-03-02 09:30:00" in raw.orders); fix shipped_at in the shipments export '
            "or the order's ordered_at",
        )
    ]
    assert con.execute("select order_id from raw.shipments order by 1").fetchall() == [
        ("A1",),
        ("Z9",),
    ]


def test_a_shipment_at_its_order_time_loads_and_other_files_keep_their_counts(exports, con):
    # Bugs caught: `shipped_at <= ordered_at` quarantining a parcel handed over the minute
    # its order was placed; and moving a line between the counts of a file that had no
    # early shipment (each file's counts must reconcile on their own).
    (exports / "orders").mkdir()
    (exports / "orders" / "2024-03-02.csv").write_text(
        "order_id,ordered_at,sku,quantity,unit_price\n"
        "A1,2024-03-02 09:00,S1,1,2.0\nA2,2024-03-02 09:30,S1,1,2.0\n"
    )
    (exports / "shipments").mkdir()
    (exports / "shipments" / "2024-03-02.csv").write_text(
        "order_id,shipped_at\n"
        "A1,2024-03-02 09:00\n"  # line 2: the very minute of the order: loads
        "A2,2024-03-02 09:29\n"  # line 3: a minute before the order: quarantined
    )
    (exports / "shipments" / "2024-03-03.csv").write_text(
        "order_id,shipped_at\nA2,2024-03-03 08:00\n"  # a later file, nothing early
    )
    load_days(con, exports, "orders")
    report = load_days(con, exports, "shipments")
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 2, 1)
    assert con.execute(
        "select export_date, rows_read, rows_loaded, rows_quarantined from quality.load_log "
        "where kind = 'shipments' order by export_date"
    ).fetchall() == [(dt.date(2024, 3, 2), 2, 1, 1), (dt.date(2024, 3, 3), 1, 1, 0)]
    assert con.execute("select file, line from quality.quarantine").fetchall() == [
        ("shipments/2024-03-02.csv", 3)
    ]
