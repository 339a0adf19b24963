"""Raw-layer load throughput against DuckDB's own `read_csv`, on the same files, in one run.

    .venv/bin/python bench/ingest_throughput.py [BY_DAY_DIR] [--repeats N]

Both sides load every file of the folder into a fresh in-memory table and force a real
scan (count + sum) afterwards. Ours also parses line numbers, checks types and writes the
quarantine and the load log; that extra work is what the ratio prices. Prints the median
and range of the repeats, rows/s, and the ratio ours / DuckDB's.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.stores import link_files
from ingest.load import load_days
from warehouse.connect import connect

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "online_retail" / "by-day"


def _ours(exports: Path) -> tuple[float, int]:
    con = connect(":memory:")
    started = time.perf_counter()
    report = load_days(con, exports, "orders")
    rows = con.execute("select count(*), sum(quantity * unit_price) from raw.orders").fetchall()[0][
        0
    ]
    elapsed = time.perf_counter() - started
    assert rows == report.rows_loaded
    return elapsed, report.rows_read


# DuckDB's fastest honest setting: the column types given, so it skips sniffing each of
# the many small files (sniffing them, it is 2-4x slower), and the file name kept, as ours.
ONLINE_RETAIL_COLUMNS = {
    "InvoiceNo": "VARCHAR",
    "StockCode": "VARCHAR",
    "Description": "VARCHAR",
    "Quantity": "BIGINT",
    "InvoiceDate": "TIMESTAMP",
    "UnitPrice": "DOUBLE",
    "CustomerID": "DOUBLE",
    "Country": "VARCHAR",
}


def _duckdb(folder: Path) -> tuple[float, int]:
    con = connect(":memory:")
    started = time.perf_counter()
    con.execute(
        "create table orders as select * from read_csv(?, header = true, filename = true, columns = ?)",
        [str(folder / "*.csv"), ONLINE_RETAIL_COLUMNS],
    )
    rows = con.execute('select count(*), sum("Quantity" * "UnitPrice") from orders').fetchall()[0][
        0
    ]
    return time.perf_counter() - started, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        exports = Path(tmp)
        link_files(args.folder.resolve(), exports / "orders")
        (exports / "exports.yaml").write_text("orders: {format: online-retail}\n")
        ours, theirs = [], []
        for _ in range(args.repeats):  # interleaved, so machine noise hits both alike
            seconds, rows = _ours(exports)
            ours.append(seconds)
            seconds, duck_rows = _duckdb(args.folder)
            theirs.append(seconds)
    assert rows == duck_rows, (rows, duck_rows)
    files = len(list(args.folder.glob("*.csv")))
    print(
        f"raw load of {rows:,} rows from {files} files, {args.repeats} repeats (median, min-max):"
    )
    for name, times in (("orderpulse load_days", ours), ("duckdb read_csv", theirs)):
        median = statistics.median(times)
        print(
            f"  {name:22s} {median:6.2f} s  ({min(times):.2f}-{max(times):.2f})  {rows / median:12,.0f} rows/s"
        )
    print(
        f"  load_ratio (ours / duckdb) = {statistics.median(ours) / statistics.median(theirs):.2f}"
    )


if __name__ == "__main__":
    main()
