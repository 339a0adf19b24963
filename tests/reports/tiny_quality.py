"""The tiny warehouse's load log, quarantine and check results, with the PII the tests look for."""

from __future__ import annotations

from datetime import date, datetime

PII_EMAILS = ("alice@example.com", "bob@example.org")  # the tests check these never reach a page
RAW_SECRET = "SECRET-RAW-VALUE-42"

LOAD_LOG_ROWS = [
    (
        "orders",
        date(2011, 1, 3),
        "orders/2011-01-03.csv",
        "generic",
        120,
        118,
        2,
        datetime(2011, 1, 4, 1),
    ),
    (
        "orders",
        date(2011, 1, 10),
        "orders/2011-01-10.csv",
        "generic",
        80,
        79,
        1,
        datetime(2011, 1, 11, 1),
    ),
    (
        "traffic",
        date(2011, 1, 3),
        "traffic/2011-01-03.csv",
        "generic",
        500,
        500,
        0,
        datetime(2011, 1, 4, 1),
    ),
]
QUARANTINE_ROWS = [
    (
        "orders",
        date(2011, 1, 3),
        "orders/2011-01-03.csv",
        18,
        "quantity",
        "six",
        'quantity "six" is not a number',
        datetime(2011, 1, 4, 1),
    ),
    (
        "orders",
        date(2011, 1, 3),
        "orders/2011-01-03.csv",
        40,
        "customer_name",
        RAW_SECRET,
        "customer_name is longer than 200 characters",
        datetime(2011, 1, 4, 1),
    ),
    (
        "orders",
        date(2011, 1, 10),
        "orders/2011-01-10.csv",
        7,
        "customer_email",
        PII_EMAILS[0],
        f'customer_email "{PII_EMAILS[0]}" is not a valid e-mail',
        datetime(2011, 1, 11, 1),
    ),
    (
        "orders",
        date(2011, 1, 10),
        "orders/2011-01-10.csv",
        9,
        "country",
        PII_EMAILS[1],
        f'country "{PII_EMAILS[1]}" is not a known country',
        datetime(2011, 1, 11, 1),
    ),
]
# Newest evaluation per check: rows_reconcile and sessions_cover_orders passed (the latter
# failed in an older run), export_freshness warns, unique_key failed: 2 / 1 / 1.
CHECK_ROWS = [
    (
        "run-0",
        "marts/conversion_daily",
        "sessions_cover_orders",
        "ERROR",
        False,
        "old failure",
        "{}",
        datetime(2011, 1, 14, 6),
    ),
    (
        "run-1",
        "marts/conversion_daily",
        "sessions_cover_orders",
        "ERROR",
        True,
        "sessions >= orders on all 2 order days with traffic",
        "{}",
        datetime(2011, 1, 15, 6),
    ),
    (
        "run-1",
        "raw/orders",
        "rows_reconcile",
        "ERROR",
        True,
        "rows read = rows loaded + rows quarantined",
        "{}",
        datetime(2011, 1, 15, 6),
    ),
    (
        "run-1",
        "raw/traffic_events",
        "export_freshness",
        "WARN",
        False,
        "newest traffic export 2011-01-03 is 7 days behind orders",
        "{}",
        datetime(2011, 1, 15, 6),
    ),
    (
        "run-1",
        "staging/stg_orders",
        "unique_key",
        "ERROR",
        False,
        f"2 duplicate keys, e.g. {PII_EMAILS[1]}",
        "{}",
        datetime(2011, 1, 15, 6),
    ),
]
