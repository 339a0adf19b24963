"""A tiny hand-written warehouse, the site published from it, and a headless-Chromium runner.

Known answers of the warehouse below (the tests assert them):
- sessions 4 + 2 + 2 = 8, purchases 1 + 0 + 1 = 2: conversion rate 25.0 %;
  cart abandonment weighted by carts (0.5*2 + 1.0*1 + 0.0*1) / 4 = 50.0 %.
- orders 2 + 1 + 1 = 4, net sales 100 + 30 + 20 = 150.00, AOV 150 / 4 = 37.50.
- 3 customers, 3 SKUs to reorder.
"""

from __future__ import annotations

import struct
import subprocess
import zlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pytest

from reports.publish import publish_site

CHROMIUM = Path("/usr/bin/chromium")
GENERATED_AT = datetime(2011, 1, 15, 6, 30, tzinfo=UTC)
PII_EMAILS = ("alice@example.com", "bob@example.org")  # the tests check these never reach a page
RAW_SECRET = "SECRET-RAW-VALUE-42"

DDL = """
create schema marts; create schema forecasts; create schema inventory; create schema quality;
create table marts.conversion_daily (day date, device varchar, source varchar, sessions bigint,
  sessions_with_cart bigint, sessions_with_checkout bigint, sessions_with_purchase bigint,
  revenue double, conversion_rate double, cart_abandonment_rate double,
  checkout_abandonment_rate double);
create table marts.orders_daily (day date, country varchar, orders bigint, order_lines bigint,
  units bigint, customers bigint, gross_sales double, discounts double, cancellations double,
  net_sales double, aov double);
create table marts.customers (customer_key varchar, country varchar, first_order_date date,
  last_order_date date, orders bigint, revenue double, recency_days bigint, r_score integer,
  f_score integer, m_score integer, rfm_segment varchar, clv double);
create table marts.sku_demand_daily (sku varchar, day date, is_trading_day boolean, units bigint,
  orders bigint, revenue double, on_hand bigint, is_stockout boolean);
create table forecasts.demand_forecast (sku varchar, day date, forecast double, lo_80 double,
  hi_80 double, lo_95 double, hi_95 double, model varchar, demand_pattern varchar);
create table inventory.reorder_recommendations (sku varchar, description varchar,
  abc_class varchar, demand_pattern varchar, on_hand bigint, on_order bigint,
  inventory_position bigint, lead_time_days double, lead_time_demand double,
  safety_stock double, reorder_point double, order_up_to double, order_qty bigint,
  rounding varchar, order_by date, days_of_cover double, projected_stockout_date date,
  stockout_probability double, unit_cost double, order_value double, service_level double,
  reason varchar);
create table quality.load_log (kind varchar, export_date date, file varchar, format varchar,
  rows_read bigint, rows_loaded bigint, rows_quarantined bigint, loaded_at timestamp);
create table quality.quarantine (kind varchar, export_date date, file varchar, line bigint,
  column_name varchar, raw_value varchar, reason varchar, loaded_at timestamp);
"""

CONVERSION_ROWS = [
    (date(2011, 1, 3), "desktop", "google", 4, 2, 1, 1, 50.0, 0.25, 0.5, 0.0),
    (date(2011, 1, 3), "mobile", "newsletter", 2, 1, 0, 0, 0.0, 0.0, 1.0, None),
    (date(2011, 1, 10), "desktop", "direct", 2, 1, 1, 1, 40.0, 0.5, 0.0, 0.0),
]
ORDERS_ROWS = [
    (date(2011, 1, 3), "United Kingdom", 2, 3, 10, 2, 120.0, 5.0, 15.0, 100.0, 50.0),
    (date(2011, 1, 3), "France", 1, 1, 4, 1, 30.0, 0.0, 0.0, 30.0, 30.0),
    (date(2011, 1, 10), "United Kingdom", 1, 2, 6, 1, 20.0, 0.0, 0.0, 20.0, 20.0),
]
CUSTOMER_ROWS = [
    (
        "a" * 64,
        "United Kingdom",
        date(2011, 1, 3),
        date(2011, 1, 10),
        2,
        70.0,
        5,
        5,
        4,
        3,
        "champions",
        210.0,
    ),
    (
        "b" * 64,
        "United Kingdom",
        date(2011, 1, 3),
        date(2011, 1, 3),
        1,
        50.0,
        12,
        3,
        1,
        2,
        "new",
        60.0,
    ),
    ("c" * 64, "France", date(2011, 1, 3), date(2011, 1, 3), 1, 30.0, 12, 3, 1, 1, "new", 40.0),
]
# (sku, description, abc, pattern, on_hand, on_order, position, lead time, lt demand, safety,
#  reorder point, order-up-to, qty, rounding, order_by, cover, stockout date, p(stockout),
#  unit cost, order value, service level, reason)
REORDER_ROWS = [
    (
        "85123A",
        "WHITE HANGING HEART T-LIGHT <HOLDER> & CO",
        "A",
        "smooth",
        10,
        0,
        10,
        7.0,
        42.0,
        12.5,
        54.5,
        96.0,
        96,
        "rounded up from 86 to 96: 3 packs of 32",
        date(2011, 1, 16),
        1.7,
        date(2011, 1, 17),
        0.62,
        2.55,
        244.8,
        0.98,
        "below reorder point: 10 on hand vs 54.5",
    ),
    (
        "22423",
        "REGENCY CAKESTAND 3 TIER",
        "B",
        "erratic",
        2,
        0,
        2,
        14.0,
        28.0,
        9.0,
        37.0,
        40.0,
        40,
        "rounded up from 38 to 40: 10 packs of 4",
        date(2011, 1, 15),
        1.0,
        date(2011, 1, 16),
        0.81,
        10.95,
        438.0,
        0.95,
        "stock runs out before the next delivery",
    ),
    (
        "84879",
        "ASSORTED COLOUR BIRD ORNAMENT",
        "C",
        "intermittent",
        0,
        8,
        8,
        10.0,
        12.0,
        3.0,
        15.0,
        24.0,
        16,
        "no rounding: pack size 1",
        date(2011, 1, 15),
        0.0,
        date(2011, 1, 15),
        0.9,
        1.69,
        27.04,
        0.9,
        "out of stock now",
    ),
]


def _demand_rows() -> list[tuple]:
    rows = []
    for sku, base in (("85123A", 6), ("22423", 3)):
        for offset in range(14):
            day = date(2011, 1, 1) + timedelta(days=offset)
            stockout = sku == "22423" and offset == 12
            units = 0 if stockout else base + offset % 3
            rows.append(
                (sku, day, True, units, units // 2, units * 2.5, 0 if stockout else 20, stockout)
            )
    return rows


def _forecast_rows() -> list[tuple]:
    rows = []
    for sku, level in (("85123A", 6.5), ("22423", 3.2)):
        for offset in range(7):
            day = date(2011, 1, 15) + timedelta(days=offset)
            rows.append(
                (sku, day, level, level - 2, level + 2, level - 3, level + 3.5, "AutoETS", "smooth")
            )
    return rows


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
        "quantity",
        RAW_SECRET,
        "quantity is not a number",
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


def build_warehouse(path: Path, *, with_reorders: bool = True) -> Path:
    """Create the warehouse file with the contract tables and the rows above."""
    con = duckdb.connect(str(path))
    con.execute(DDL)
    tables = {
        "marts.conversion_daily": CONVERSION_ROWS,
        "marts.orders_daily": ORDERS_ROWS,
        "marts.customers": CUSTOMER_ROWS,
        "marts.sku_demand_daily": _demand_rows(),
        "forecasts.demand_forecast": _forecast_rows(),
        "inventory.reorder_recommendations": REORDER_ROWS if with_reorders else [],
        "quality.load_log": LOAD_LOG_ROWS,
        "quality.quarantine": QUARANTINE_ROWS,
    }
    for table, rows in tables.items():
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            con.executemany(f"insert into {table} values ({marks})", rows)
    con.close()
    return path


def publish_from(db_path: Path, out_dir: Path) -> list[Path]:
    """Publish from a read-only connection: the publisher must not need to write."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return publish_site(con, out_dir, title="orderpulse test shop", generated_at=GENERATED_AT)
    finally:
        con.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    publish_from(build_warehouse(root / "warehouse.duckdb"), root / "site")
    return root / "site"


@pytest.fixture
def chromium(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess]:
    """Run headless Chromium offline on a file:// URL with extra flags (e.g. --dump-dom)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found; install it with `apt-get install -y chromium`")

    def run(page: Path, *flags: str) -> subprocess.CompletedProcess:
        profile = tmp_path / f"profile-{page.stem}-{len(list(tmp_path.iterdir()))}"
        command = [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            *flags,
            page.resolve().as_uri(),
        ]
        return subprocess.run(command, capture_output=True, text=True, timeout=90, check=True)

    return run


def _unfilter(filter_type: int, line: bytearray, previous: bytes, bpp: int) -> bytes:
    if filter_type == 0:
        return bytes(line)
    if filter_type == 2:
        return (
            (np.frombuffer(line, np.uint8) + np.frombuffer(previous, np.uint8)) & 0xFF
        ).tobytes()
    if filter_type == 1:  # each byte adds the reconstructed byte bpp to its left: a running sum
        pixels = np.frombuffer(line, np.uint8).reshape(-1, bpp).astype(np.int64)
        return (np.cumsum(pixels, axis=0) & 0xFF).astype(np.uint8).tobytes()
    for x in range(len(line)):
        left = line[x - bpp] if x >= bpp else 0
        if filter_type == 3:
            line[x] = (line[x] + (left + previous[x]) // 2) & 0xFF
        else:
            up, up_left = previous[x], previous[x - bpp] if x >= bpp else 0
            p = left + up - up_left
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
            line[x] = (
                line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)
            ) & 0xFF
    return bytes(line)


def decode_png(path: Path) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and unfiltered rows of an 8-bit RGB/RGBA PNG.

    Pillow is not a project dependency, and a screenshot check needs real pixels.
    """
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG file"
    position, idat, header = 8, b"", None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, chunk = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        position += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, (
        f"{path}: unsupported PNG {header}"
    )
    bpp = 3 if colour_type == 2 else 4
    raw, stride, rows, previous = zlib.decompress(idat), width * bpp, [], bytes(width * bpp)
    for y in range(height):
        start = y * (stride + 1)
        line = bytearray(raw[start + 1 : start + 1 + stride])
        previous = _unfilter(raw[start], line, previous, bpp)
        rows.append(previous)
    return width, height, bpp, rows


@pytest.fixture
def png_decoder() -> Callable[[Path], tuple[int, int, int, list[bytes]]]:
    return decode_png


@pytest.fixture
def publish_warehouse(tmp_path: Path) -> Callable[..., Path]:
    """Build the hand-written warehouse (optionally changed by SQL), publish it, return the site."""

    def publish(*, with_reorders: bool = True, sql: str = "") -> Path:
        db_path = build_warehouse(tmp_path / "warehouse.duckdb", with_reorders=with_reorders)
        if sql:
            con = duckdb.connect(str(db_path))
            con.execute(sql)
            con.close()
        publish_from(db_path, tmp_path / "site")
        return tmp_path / "site"

    return publish
