"""Scan what analysts and operators see after a run for e-mail addresses and phone numbers:
every staging, marts, forecasts and inventory table, the site, the reorder CSV and the
Dagster event log of the data directory. Exits 1 and lists the hits if any.

    .venv/bin/python scripts/privacy_scan.py [DATA_DIR]
"""

import os
import re
import sys
import warnings
from pathlib import Path

from warehouse.connect import connect

warnings.filterwarnings("ignore")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
# A phone is groups of digits split by spaces, dots or dashes, the later groups 3-4 digits
# long: "+44 20 7946 0958", "020-7946-0958". Dates (2011-12-09) and amounts do not match.
PHONE = re.compile(r"(?:\+\d{1,3}[ .-]?)?\(?\d{2,4}\)?[ .-]\d{3,4}[ .-]\d{3,4}\b")


def scan_text(where: str, text: str, hits: list[str]) -> None:
    for pattern in (EMAIL, PHONE):
        for match in pattern.findall(text)[:3]:
            hits.append(f"{where}: {match}")


def main() -> int:
    data = Path(sys.argv[1] if len(sys.argv) > 1 else "data").resolve()
    hits: list[str] = []
    scanned = 0
    with connect(data / "warehouse.duckdb", read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('staging', 'marts', 'forecasts', 'inventory')"
        ).fetchall()
        for schema, table in tables:
            columns = [
                c
                for c, t in con.execute(
                    "select column_name, data_type from information_schema.columns "
                    "where table_schema = ? and table_name = ?",
                    [schema, table],
                ).fetchall()
                if t == "VARCHAR"
            ]
            for column in columns:
                rows = con.execute(
                    f'select distinct "{column}" from {schema}.{table} where regexp_matches("{column}", ?) limit 3',
                    [EMAIL.pattern],
                ).fetchall()
                hits += [f"{schema}.{table}.{column}: {value}" for (value,) in rows]
            scanned += 1
    for path in [*(data / "site").glob("*.html"), data / "reorder_recommendations.csv"]:
        scan_text(str(path.relative_to(data)), path.read_text(), hits)
        scanned += 1
    os.environ["DAGSTER_HOME"] = str(data / "dagster_home")
    import dagster as dg

    instance = dg.DagsterInstance.get()
    events = 0
    for run in instance.get_runs():
        for record in instance.all_logs(run.run_id):
            scan_text(
                f"run {run.run_id[:8]} event", f"{record.user_message} {record.dagster_event}", hits
            )
            events += 1
    print(f"scanned {scanned} tables and files and {events} Dagster events: {len(hits)} hits")
    for hit in hits[:20]:
        print(f"  {hit}")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
