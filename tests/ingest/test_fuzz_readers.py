"""Property-based fuzz of every export reader: hostile files in, reconciled warehouse out.

Each case takes a small valid export of one format (the generic contract of every kind,
online-retail, shopify, ga4, online-shoppers, reviews, nps and a YAML mapping), replaces
some of its values with hostile ones (numbers at and beyond every type's range, NaN and
infinity, dates from year 1 to 9999 and impossible ones, text in any script), writes it as
CSV, JSON Lines or Parquet (text columns, or typed ones where polars infers a type),
sometimes breaks its bytes (not UTF-8, NUL, stray quotes, extra fields, a cut last line),
and loads it with `ingest.load.load_days` into a fresh DuckDB. Whatever the file, either
the load refuses it with a user-facing error naming the file (ExportFileError,
ExportConfigError), or:
- rows read = rows loaded + rows quarantined, for the load and for every file and day;
- the raw table holds exactly the loaded lines, the quarantine exactly the quarantined;
- no loaded row holds a value outside the plausibility bounds (contract/bounds.py) or
  breaks an order sign rule, judged by SQL written from the contract, not by ingest's code.
Hypothesis runs a fixed, derandomized set of cases (profile `ingest-fuzz`), so CI is
deterministic; raise max_examples locally to search longer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from pathlib import Path

import duckdb
import polars as pl
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from contract.bounds import BOUNDS, NON_PRODUCT_CODES, NON_PRODUCT_PREFIX, PROMISE_DAYS
from contract.exports import RAW_TABLE
from ingest.bounds import RowBounds
from ingest.exports_config import ExportConfigError
from ingest.load import ensure_tables, load_days
from ingest.source import ExportFileError

settings.register_profile(
    "ingest-fuzz",
    deadline=None,
    max_examples=150,
    derandomize=True,
    database=None,
    # The explain phase re-runs a failure hundreds of times to name the lines it needs.
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("ingest-fuzz")

DAY = dt.date(2024, 1, 5)
BOUNDS_NOW = RowBounds.from_settings(today=dt.date(2024, 2, 1))
FIXTURES = Path(__file__).parent / "fixtures"


def _lines(path: Path, count: int) -> str:
    return "".join(path.read_text().splitlines(keepends=True)[:count])


# (kind, extension, exports.yaml or None, {extra file: content}, template text)
TEMPLATES: dict[str, tuple[str, str, str | None, dict[str, str], str]] = {
    "generic-orders": (
        "orders",
        "csv",
        None,
        {},
        "order_id,ordered_at,sku,quantity,unit_price,currency,discount,order_status,line_id\n"
        "A1,2024-01-05 10:00:00,S1,2,1.50,GBP,0.5,placed,1\n"
        "A2,2024-01-05 11:00:00,S2,-1,3.00,GBP,0,returned,1\n"
        "A3,2024-01-05 12:00:00,B,1,-11.0,GBP,,placed,1\n",
    ),
    "generic-traffic": (
        "traffic",
        "csv",
        None,
        {},
        "event_at,event_name,user_id,event_id,quantity,value,sku\n"
        "2024-01-05 09:00:00,add_to_cart,u1,e1,2,3.0,S1\n"
        "2024-01-05 09:01:00,purchase,u1,e2,,6.0,\n",
    ),
    "generic-feedback": (
        "feedback",
        "csv",
        None,
        {},
        "feedback_id,submitted_at,feedback_type,rating,nps_score,sku\n"
        "f1,2024-01-05 12:00:00,review,4,,S1\nf2,2024-01-05 13:00:00,nps,,9,\n",
    ),
    "generic-inventory": (
        "inventory",
        "csv",
        None,
        {},
        "snapshot_date,sku,on_hand,on_order,location\n"
        "2024-01-05,S1,4,0,main\n2024-01-05,S2,0,12,\n",
    ),
    "generic-catalog": (
        "catalog",
        "csv",
        None,
        {},
        "sku,unit_cost,lead_time_days,lead_time_std_days,moq,pack_size,unit_price,is_product\n"
        "S1,0.8,14,2,1,6,2.5,true\nS2,1.2,7,0,12,12,,\n",
    ),
    "generic-shipments": (
        "shipments",
        "csv",
        None,
        {},
        "order_id,shipped_at,delivered_at,promised_date,carrier,region,shipment_id\n"
        "X1,2024-01-04 16:00:00,2024-01-05 12:00:00,2024-01-07,Royal Mail,UK,1\n",
    ),
    "online-retail": (
        "orders",
        "csv",
        "orders: {format: online-retail}\n",
        {},
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "536365,85123A,WHITE HANGING HEART,6,1/5/2024 8:26,2.55,17850.0,United Kingdom\n"
        "C536379,D,Discount,-1,1/5/2024 9:41,27.5,14527.0,United Kingdom\n",
    ),
    "shopify": ("orders", "csv", None, {}, _lines(FIXTURES / "shopify" / "orders_export.csv", 4)),
    "online-shoppers": (
        "traffic",
        "csv",
        None,
        {},
        _lines(FIXTURES / "online_shoppers" / "excerpt.csv", 4),
    ),
    "reviews": ("feedback", "csv", None, {}, _lines(FIXTURES / "reviews" / "plain_reviews.csv", 3)),
    "nps": ("feedback", "csv", None, {}, _lines(FIXTURES / "nps" / "nps_answers.csv", 3)),
    "mapping": (
        "orders",
        "csv",
        "orders: {mapping: my_orders.yaml}\n",
        {"my_orders.yaml": (FIXTURES / "mapping" / "my_orders.yaml").read_text()},
        _lines(FIXTURES / "mapping" / "2024-01-05.csv", 4),
    ),
    "ga4": (
        "traffic",
        "jsonl",
        "traffic: {format: ga4}\n",
        {},
        _lines(FIXTURES / "ga4" / "events_20240105.jsonl", 4),
    ),
}

HOSTILE_TEXT = [
    "", " ", "0", "-0", "1e308", "-1e308", "1e400", "-1e400", "nan", "NaN", "inf", "-inf",
    "9223372036854775807", "-9223372036854775808", "9223372036854775808",
    "99999999999999999999", "1e-320", "0x10", "1_000", "1,5", "1.234,56", "\u0661\u0662",
    "1900-01-01", "1900-01-01 00:00:00", "0001-01-01 00:00:00", "9999-12-31 23:59:59",
    "2999-01-05", "2024-02-30", "2024-01-05T25:61:00", "2024-01-06 23:59:59",
    "2024-01-08 00:00:00", "1/1/1900 0:00", "31/12/9999 23:59", "=1+1", "\x00", "NULL",
    "true", "C", "gift_card", "B", "placed", "returned", "-5", "1000001", "10000001",
    "-10000001", "400", "11", "6", "\u202e", "\ud7ff" * 3,
]  # fmt: skip
# Surrogates cannot be written as UTF-8; the strategy keeps to encodable text.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
HOSTILE = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.datetimes(dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31)).map(str),
    TEXT,
)
JSON_HOSTILE = st.one_of(
    HOSTILE,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.none(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["item_id", "quantity", "price"]), HOSTILE, max_size=3),
)
DAMAGE = st.sampled_from(
    ["none", "none", "none", "not_utf8", "nul", "quote", "extra_field", "cut", "crlf", "bom"]
)


def _mutated_csv(template: str, edits: list[tuple[int, int, str]]) -> tuple[list[str], list]:
    rows = list(csv.reader(io.StringIO(template)))
    header, body = rows[0], rows[1:]
    for row, column, value in edits:
        line = body[row % len(body)]
        line[column % len(line)] = value
    return header, body


def _csv_bytes(header: list[str], body: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    return out.getvalue().encode()


def _damaged(data: bytes, damage: str, where: int) -> bytes:
    """`data` with one kind of byte damage in a data line (never the header)."""
    start = data.find(b"\n") + 1
    at = start + where % max(len(data) - start, 1)
    if damage == "not_utf8":
        return data[:at] + b"\xff\xfe" + data[at:]
    if damage == "nul":
        return data[:at] + b"\x00" + data[at:]
    if damage == "quote":
        return data[:at] + b'"' + data[at:]
    if damage == "extra_field":
        return data[:-1] + b",surplus\n"
    if damage == "cut":
        return data[: max(at, start + 1)]
    if damage == "crlf":
        return data.replace(b"\n", b"\r\n")
    if damage == "bom":
        return b"\xef\xbb\xbf" + data
    return data


def _jsonl_bytes(template: str, edits: list[tuple[int, int, object]]) -> tuple[bytes, list]:
    rows = [json.loads(line) for line in template.splitlines()]
    keys = ["event_timestamp", "event_name", "user_pseudo_id", "items", "ecommerce", "user_id"]
    for row, column, value in edits:
        target = rows[row % len(rows)]
        target[keys[column % len(keys)]] = value
    return b"".join(json.dumps(row).encode() + b"\n" for row in rows), rows


def _as_parquet(data: bytes, typed: bool, path: Path) -> bool:
    """Write a CSV's rows as Parquet (text columns, or the types polars infers); False when
    polars cannot read the text at all (the CSV case covers such files)."""
    try:
        frame = pl.read_csv(data, infer_schema=typed, infer_schema_length=None)
        frame.write_parquet(path)
    except Exception:  # noqa: BLE001 - any file polars refuses has no Parquet twin
        return False
    return True


def _violations(con: duckdb.DuckDBPyConnection, kind: str) -> list[tuple]:
    """Loaded rows outside the bounds or the order sign rules, found by SQL of our own."""
    b = BOUNDS_NOW
    limits = {
        "price": b.max_unit_price,
        "amount": b.max_unit_price * b.max_units,
        "units": b.max_units,
        "lead_time": b.max_lead_time_days,
    }
    tests = []
    for column, bound in BOUNDS.get(kind, {}).items():
        if bound.measure in ("day", "promise"):
            ahead = b.max_days_ahead if bound.measure == "day" else PROMISE_DAYS
            tests.append(
                f"cast({column} as date) < date '{b.first_day}' or "
                f"cast({column} as date) > _export_date + {ahead}"
            )
        elif bound.measure == "scale":
            tests.append(f"{column} not between {bound.low} and {bound.high}")
        else:
            tests.append(f"abs({column}) > {limits[bound.measure]}")
        if bound.non_negative:
            tests.append(f"{column} < 0")
    if kind == "orders":
        codes = ", ".join(f"'{code}'" for code in NON_PRODUCT_CODES)
        merchandise = (
            f"upper(trim(sku)) not in ({codes}) "
            f"and not starts_with(lower(sku), '{NON_PRODUCT_PREFIX}')"
        )
        tests.append(
            f"order_status = 'placed' and quantity < 0 and unit_price > 0 and {merchandise}"
        )
        tests.append(f"unit_price < 0 and {merchandise}")
        tests.append("not isfinite(unit_price)")
    where = " or ".join(f"({test})" for test in tests)
    return con.execute(f"select * from raw.{RAW_TABLE[kind]} where {where}").fetchall()


def _check_load(folder: Path, kind: str) -> str:
    """Load one kind from `folder` and check the invariants; the outcome, for the statistics."""
    con = duckdb.connect()
    try:
        ensure_tables(con)
        try:
            report = load_days(con, folder, kind, bounds=BOUNDS_NOW)
        except (ExportFileError, ExportConfigError) as error:
            assert (
                f"{kind}/" in str(error) or "exports.yaml" in str(error) or "mapping" in str(error)
            ), str(error)
            return "refused"
        assert report.rows_read == report.rows_loaded + report.rows_quarantined
        for result in report.files:
            assert result.rows_read == result.rows_loaded + result.rows_quarantined, result
        table = RAW_TABLE[kind]
        raw_lines = con.execute(f"select count(distinct (_file, _line)) from raw.{table}")
        assert raw_lines.fetchall()[0][0] == report.rows_loaded
        quarantined = con.execute("select count(distinct (file, line)) from quality.quarantine")
        assert quarantined.fetchall()[0][0] == report.rows_quarantined
        logged = con.execute(
            "select coalesce(sum(rows_read), 0), coalesce(sum(rows_loaded), 0) "
            "from quality.load_log"
        ).fetchall()[0]
        assert logged == (report.rows_read, report.rows_loaded)
        assert _violations(con, kind) == []
        return "loaded"
    finally:
        con.close()


# Found by this fuzz: a GA4 timestamp beyond year 9999 panicked polars when printed, and a
# nested field of another JSON shape (ecommerce: 1) stopped the whole file.
@example("ga4", "jsonl", [(0, 0, "")], [(1, 0, "9223372036854775807")], "none", 0)
@example("ga4", "jsonl", [(0, 0, "")], [(0, 4, 1)], "none", 0)
@FUZZ
@given(
    template=st.sampled_from(sorted(TEMPLATES)),
    container=st.sampled_from(["csv", "csv", "parquet-text", "parquet-typed", "jsonl"]),
    edits=st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 60), HOSTILE), min_size=1, max_size=6
    ),
    json_edits=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), JSON_HOSTILE), max_size=4),
    damage=DAMAGE,
    where=st.integers(0, 10_000),
)
def test_every_reader_reconciles_and_keeps_to_the_bounds(
    template, container, edits, json_edits, damage, where
):
    """Bug caught: a hostile value or broken byte that escapes as a traceback (an overflow
    in a cast, a date beyond polars' range), loses or doubles a line, or loads a value
    outside the bounds, in any reader and any container."""
    kind, extension, config, extra, text = TEMPLATES[template]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / kind).mkdir()
        if config is not None:
            (folder / "exports.yaml").write_text(config)
        for name, content in extra.items():
            (folder / name).write_text(content)
        if extension == "jsonl":
            data, rows = _jsonl_bytes(text, json_edits or [(0, 0, edits[0][2])])
            if container.startswith("parquet"):
                try:
                    pl.DataFrame(rows, infer_schema_length=None).write_parquet(
                        folder / kind / f"{DAY}.parquet"
                    )
                except Exception:  # noqa: BLE001 - rows polars cannot type stay JSON Lines
                    (folder / kind / f"{DAY}.jsonl").write_bytes(data)
            else:
                (folder / kind / f"{DAY}.jsonl").write_bytes(_damaged(data, damage, where))
        else:
            header, body = _mutated_csv(text, edits)
            data = _csv_bytes(header, body)
            if container.startswith("parquet") and damage == "none":
                typed = container == "parquet-typed"
                if not _as_parquet(data, typed, folder / kind / f"{DAY}.parquet"):
                    (folder / kind / f"{DAY}.csv").write_bytes(data)
            elif container == "jsonl" and damage == "none" and template.startswith("generic"):
                objects = [dict(zip(header, row, strict=False)) for row in body]
                (folder / kind / f"{DAY}.jsonl").write_text(
                    "".join(json.dumps(o) + "\n" for o in objects)
                )
            else:
                (folder / kind / f"{DAY}.csv").write_bytes(_damaged(data, damage, where))
        _check_load(folder, kind)
