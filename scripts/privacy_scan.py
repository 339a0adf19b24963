"""Scan everything a run wrote for e-mail addresses and phone numbers.

What is scanned, in the data directory:
- every DuckDB file (the warehouse and any copy of it): every schema but `raw`, which
  holds the exports as they came and is the one place allowed to keep them;
- every file a person or program may read: pages, CSV and XLSX files (the site, its
  previous copy, the reorder lists), run logs, JSON and text files;
- the Dagster event log of every run (`dagster_home`).
Not scanned: the exports folder (the shop's own files) and the salt. The patterns are
contract/personal_data.py's, which also mask quarantined lines. Exits 1 and lists the
hits if any.

    .venv/bin/python scripts/privacy_scan.py [DATA_DIR]
"""

from __future__ import annotations

import os
import sys
import warnings
import zipfile
from pathlib import Path

import duckdb

from contract.personal_data import EMAIL, EMAIL_SQL, PHONE, PHONE_SQL
from warehouse.connect import connect

warnings.filterwarnings("ignore")
ALLOWED_SCHEMAS = ("raw",)  # exports as they came; see docs/data-contract.md
TEXT_SUFFIXES = (".html", ".csv", ".log", ".txt", ".json", ".jsonl", ".md")
NOT_OUTPUTS = ("exports", "dagster_home")  # the shop's files; Dagster's own storage
HITS_PER_PLACE = 3


def scan_text(where: str, text: str, hits: list[str]) -> None:
    """Add up to HITS_PER_PLACE hits of each pattern in `text` to `hits`."""
    for pattern in (EMAIL, PHONE):
        for match in pattern.findall(text)[:HITS_PER_PLACE]:
            hits.append(f"{where}: {match}")


def scan_database(path: Path, data: Path, hits: list[str]) -> int:
    """Scan the text columns of every table of one DuckDB file but those of `raw`.

    Returns:
        The number of tables scanned.
    """
    with connect(path, read_only=True) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type in ('VARCHAR', 'JSON') and table_schema not in "
            f"({', '.join('?' for _ in ALLOWED_SCHEMAS)}) order by all",
            list(ALLOWED_SCHEMAS),
        ).fetchall()
        for schema, table, column in columns:
            found = con.execute(
                f'select distinct "{column}"::varchar from "{schema}"."{table}" '
                f'where regexp_matches("{column}", ?) or regexp_matches("{column}", ?) '
                f"limit {HITS_PER_PLACE}",
                [EMAIL_SQL, PHONE_SQL],
            ).fetchall()
            for (value,) in found:
                scan_text(f"{path.relative_to(data)} {schema}.{table}.{column}", value, hits)
        tables = con.execute(
            "select count(*) from information_schema.tables where table_schema not in "
            f"({', '.join('?' for _ in ALLOWED_SCHEMAS)})",
            list(ALLOWED_SCHEMAS),
        ).fetchone()[0]
    return tables


def file_text(path: Path) -> str:
    """A written file's text; an XLSX workbook's is the XML of its sheets and strings."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as workbook:
            return "\n".join(
                workbook.read(name).decode("utf-8", "replace")
                for name in workbook.namelist()
                if name.endswith(".xml")
            )
    return path.read_text(encoding="utf-8", errors="replace")


def written_files(data: Path) -> list[Path]:
    """Every file of the data directory (outside the exports and Dagster's storage) that
    is a DuckDB database or a file people and programs read."""
    skipped = [data / name for name in NOT_OUTPUTS]
    return sorted(
        path
        for path in data.rglob("*")
        if path.is_file()
        and not any(path.is_relative_to(folder) for folder in skipped)
        and (path.suffix in TEXT_SUFFIXES or path.suffix in (".xlsx", ".duckdb"))
    )


def scan_events(data: Path, hits: list[str]) -> int:
    """Scan the message and event of every stored Dagster event; returns how many."""
    if not (data / "dagster_home").is_dir():
        return 0
    os.environ["DAGSTER_HOME"] = str(data / "dagster_home")
    import dagster as dg

    instance = dg.DagsterInstance.get()
    events = 0
    for run in instance.get_runs():
        for record in instance.all_logs(run.run_id):
            text = f"{record.user_message} {record.dagster_event}"
            scan_text(f"run {run.run_id[:8]} event", text, hits)
            events += 1
    return events


def scan(data: Path) -> tuple[list[str], int, int]:
    """(hits, tables and files scanned, Dagster events scanned) of one data directory."""
    hits: list[str] = []
    scanned = 0
    for path in written_files(data):
        if path.suffix == ".duckdb":
            scanned += scan_database(path, data, hits)
        else:
            scan_text(str(path.relative_to(data)), file_text(path), hits)
            scanned += 1
    return hits, scanned, scan_events(data, hits)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    data = Path(args[0] if args else "data").resolve()
    try:
        hits, scanned, events = scan(data)
    except duckdb.IOException as error:
        print(f"cannot open a warehouse in {data} ({error}); scan after the run ends")
        return 2
    print(f"scanned {scanned} tables and files and {events} Dagster events: {len(hits)} hits")
    for hit in hits[:20]:
        print(f"  {hit}")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
