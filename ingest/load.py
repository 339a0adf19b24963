"""Load export days into DuckDB: raw.<table>, quality.quarantine and quality.load_log.

A call replaces the given days of one kind chunk by chunk: consecutive days whose files
add up to at most `LOAD_CHUNK_BYTES` are read, checked and written in one transaction
(delete those days, then insert), so re-loading a day never doubles it, a failed chunk
changes nothing, and memory is bounded by two chunks (the one written and the next, read
meanwhile on another thread) rather than the whole range (a year of web events at once
needed ~5 GB at SF1, see docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from config.settings import IngestSettings
from contract.exports import KINDS, RAW_TABLE, raw_schema
from ingest.bounds import RowBounds
from ingest.cross_kind import quarantine_shipped_before_ordered
from ingest.discover import ExportFile, export_files
from ingest.exports_config import read_exports_config
from ingest.file_results import FileResult
from ingest.multi_day import day_owners, days_held, owned_part
from ingest.read import ExportBatch, Progress, read_exports
from warehouse.frames import insert_frame
from warehouse.transaction import transaction

# Export file bytes read and written per transaction (a chunk holds at least one day).
# A budget in bytes, not days, keeps a chunk's memory the same for a small and a large shop.
# Parquet is the densest input (~17 bytes per web event at SF1): 16 MB is ~1M rows and
# 1.6 GB peak (measured, docs/performance.md).
LOAD_CHUNK_BYTES = 16 * 1024 * 1024
# Text files (CSV, JSON Lines) get the bytes of about TEXT_CHUNK_ROWS lines, at most
# TEXT_CHUNK_BYTES: ~60 MB of order lines (~125 bytes each), ~13 MB of stock rows (~27).
# Half a million rows is about four DuckDB row groups: a chunk of one row group goes
# through DuckDB's write-ahead log and is compressed again at the next checkpoint (about a
# fifth of the orders' load CPU), while a chunk of a few is written to the file directly.
# Larger chunks cost more again (the year of SF1 stock rows in one 40 MB chunk: 1.41 CPU s
# against 1.34 in three), and a kind that fits in one chunk leaves the reading thread
# idle: the next chunk is read on it while this one is written.
TEXT_CHUNK_ROWS = 500_000
TEXT_CHUNK_BYTES = 4 * LOAD_CHUNK_BYTES
# Bytes of a text file's start read to learn its bytes per line.
LINE_SAMPLE_BYTES = 1024 * 1024
SCHEMAS = ("raw", "staging", "marts", "forecasts", "inventory", "quality")
QUARANTINE_TABLE = """
create table if not exists quality.quarantine (
    kind varchar, export_date date, file varchar, line bigint,
    column_name varchar, raw_value varchar, reason varchar, loaded_at timestamp
)"""
LOAD_LOG_TABLE = """
create table if not exists quality.load_log (
    kind varchar, export_date date, file varchar, format varchar,
    rows_read bigint, rows_loaded bigint, rows_quarantined bigint, loaded_at timestamp
)"""


def _duckdb_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.Datetime):
        return "timestamp"
    return {
        pl.String(): "varchar",
        pl.Int64(): "bigint",
        pl.Float64(): "double",
        pl.Boolean(): "boolean",
        pl.Date(): "date",
    }[dtype]


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the warehouse schemas, the raw tables and the quality tables if absent.

    Args:
        con: a read-write DuckDB connection.
    """
    for schema in SCHEMAS:
        con.execute(f"create schema if not exists {schema}")
    existing = set(
        con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'raw'"
        ).fetchall()
    )
    for kind in KINDS:
        table = RAW_TABLE[kind]
        columns = ", ".join(
            f"{name} {_duckdb_type(dtype)}" for name, dtype in raw_schema(kind).items()
        )
        con.execute(f"create table if not exists raw.{table} ({columns})")
        # A warehouse made before the contract gained a column (line_id, _extra) gets it,
        # empty on the rows loaded before: the contract only ever adds columns.
        for name, dtype in raw_schema(kind).items():
            if (table, name) not in existing and any(t == table for t, _ in existing):
                con.execute(f"alter table raw.{table} add column {name} {_duckdb_type(dtype)}")
    con.execute(QUARANTINE_TABLE)
    con.execute(LOAD_LOG_TABLE)


@dataclass(frozen=True)
class LoadReport:
    """What one `load_days` call did, per file and in total."""

    kind: str
    days: tuple[dt.date, ...]  # the days replaced (files or not)
    files: tuple[FileResult, ...]
    seconds: float

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(f.rows_quarantined for f in self.files)

    @property
    def formats(self) -> dict[str, int]:
        """Files per format, e.g. {"online-retail": 305}."""
        return dict(Counter(f.format for f in self.files))

    @property
    def detected_formats(self) -> dict[str, str]:
        """{file: format} for files whose format came from their header, not exports.yaml."""
        return {f.file: f.format for f in self.files if f.format_detected}

    @property
    def notes(self) -> list[str]:
        return [note for f in self.files for note in f.notes]


def day_chunks(
    days: list[dt.date], files: list[ExportFile], chunk_bytes: int
) -> list[tuple[list[dt.date], list[ExportFile]]]:
    """Split sorted days into runs of consecutive days whose files total at most `chunk_bytes`.

    Args:
        days: the days to replace, sorted.
        files: their export files (at most one per day).
        chunk_bytes: the budget; a day whose file alone exceeds it is a chunk of its own.

    Returns:
        (days, files) per chunk, in date order.
    """
    by_day = {f.export_date: f for f in files}
    chunks: list[tuple[list[dt.date], list[ExportFile]]] = []
    size = 0
    for day in days:
        file = by_day.get(day)
        day_bytes = file.path.stat().st_size if file is not None else 0
        if not chunks or (size + day_bytes > chunk_bytes and chunks[-1][1]):
            chunks.append(([], []))
            size = 0
        chunks[-1][0].append(day)
        chunks[-1][1].extend([file] if file is not None else [])
        size += day_bytes
    return chunks


def load_days(
    con: duckdb.DuckDBPyConnection,
    exports_dir: str | Path,
    kind: str,
    days: list[dt.date] | None = None,
    settings_currency: str = IngestSettings().currency,
    accepted_currencies: tuple[str, ...] | None = None,
    progress: Progress | None = None,
    chunk_bytes: int | None = None,
    bounds: RowBounds | None = None,
) -> LoadReport:
    """Replace the given export days of one kind in raw.<table> and the quality tables.

    Multi-day files (names that are not a day) are read first, whole, and their rows go to
    the days of their own dates; each day's rows come from the newest file holding that day
    (ingest/multi_day.py), so an overlapping file dropped again replaces, never doubles.
    The days are taken in date order in chunks of consecutive days whose day files add up
    to at most `chunk_bytes` (a chunk holds at least one day; days without a file add
    nothing). Every file of a chunk is read and checked before the chunk is written; the
    writes happen in one transaction per chunk: delete the kind's rows of those days from
    raw.<table>, quality.quarantine and quality.load_log, then insert. The result does not
    depend on the chunk size (duplicate keys are judged within a file, and a file is read
    whole).

    Args:
        con: a read-write DuckDB connection (`ensure_tables` is run on it).
        exports_dir: the exports folder.
        kind: one of `contract.KINDS`.
        days: export days to replace; a day without a file is cleared. None replaces the
            days of every file present (days loaded earlier whose file is gone are kept).
        settings_currency: currency of order rows that name none (ingest.currency).
        accepted_currencies: currencies an order row may have (ingest.accepted_currencies);
            None: any ISO 4217 code.
        progress: called as progress(files_done, files_total) after each file is read.
        chunk_bytes: export file bytes read and written per transaction (bounds the
            memory); None: `LOAD_CHUNK_BYTES` for Parquet files, about `TEXT_CHUNK_ROWS`
            lines' worth for text (`_chunk_budget`).
        bounds: the plausibility bounds (ingest.max_*, history.first_day); None: the
            settings' defaults as of today.

    Returns:
        A LoadReport with per-file and total counts and the formats used.

    Raises:
        ExportLayoutError: a misnamed file (found before anything is written).
        ExportConfigError, ExportFileError: a bad exports.yaml or a file that is not an
            export of `kind`; its chunk is not written, the chunks before it stay loaded
            (each complete; loading the days again replaces them).
    """
    started = time.perf_counter()
    files = export_files(exports_dir, kind)
    config = read_exports_config(exports_dir, kind)
    day_files = [f for f in files if f.is_day_file]
    multi_day_files = [f for f in files if not f.is_day_file]
    # Multi-day files are read whole first: only their rows tell which days they hold.
    # One "today" for every chunk, so a load's date bound does not move at midnight.
    bounds = bounds or RowBounds.from_settings()
    multi = read_exports(
        multi_day_files, kind, config, settings_currency, accepted_currencies, bounds=bounds
    )
    owners = day_owners(day_files, multi_day_files, days_held(multi))
    replaced = sorted(set(days) if days is not None else set(owners))
    wanted = set(replaced)
    owning_day_files = [
        f for f in day_files if f.export_date in wanted and owners[f.export_date] == f.name
    ]
    # To the microsecond: incremental staging (incremental/visitor_build.py) tells two loads of a day apart by it.
    loaded_at = dt.datetime.now()
    ensure_tables(con)
    results: list[FileResult] = []
    budget = chunk_bytes or _chunk_budget(owning_day_files)
    chunks = list(day_chunks(replaced, owning_day_files, budget))

    def read_chunk(index: int) -> ExportBatch:
        chunk, chunk_files = chunks[index]
        done_before = sum(len(files) for _, files in chunks[:index])

        def chunk_progress(done: int, _total: int) -> None:
            if progress is not None:
                progress(done_before + done, len(owning_day_files))

        batch = read_exports(
            chunk_files,
            kind,
            config,
            settings_currency,
            accepted_currencies,
            chunk_progress,
            bounds,
        )
        return _with(batch, owned_part(multi, owners, set(chunk)))

    # The next chunk is read and checked (polars) while this one is written (DuckDB), on
    # another thread: both release the GIL, so on two cores the load costs about the
    # larger of the two instead of their sum. Two chunks are in memory at most. A chunk
    # that fails to read raises once the chunks before it are written, as without the
    # read-ahead; a chunk that fails to write raises once the read under way ends. Only
    # this thread touches the connection.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead") as reader:
        ahead = reader.submit(read_chunk, 0) if chunks else None
        for index, (chunk, _) in enumerate(chunks):
            batch = ahead.result()
            ahead = reader.submit(read_chunk, index + 1) if index + 1 < len(chunks) else None
            if kind == "shipments":
                batch = quarantine_shipped_before_ordered(con, batch)
            _replace_days(con, kind, chunk, batch, loaded_at)
            results += batch.files
            del batch  # released before the next chunk is taken: at most two in memory
    return LoadReport(kind, tuple(replaced), tuple(results), time.perf_counter() - started)


def _chunk_budget(files: list[ExportFile]) -> int:
    """The byte budget of a chunk: Parquet's when any file is Parquet; for text, the bytes
    of TEXT_CHUNK_ROWS lines as the first file's start measures them (at most
    TEXT_CHUNK_BYTES, and all of it when that start holds no whole line)."""
    if any(f.extension == "parquet" for f in files):
        return LOAD_CHUNK_BYTES
    if not files:
        return TEXT_CHUNK_BYTES
    with files[0].path.open("rb") as file:
        start = file.read(LINE_SAMPLE_BYTES)
    lines = start.count(b"\n")
    if not lines:
        return TEXT_CHUNK_BYTES
    return min(TEXT_CHUNK_BYTES, TEXT_CHUNK_ROWS * len(start) // lines)


def _with(batch: ExportBatch, other: ExportBatch) -> ExportBatch:
    """Two batches of one kind as one."""
    if not other.files:
        return batch
    return ExportBatch(
        batch.kind,
        pl.concat([batch.rows, other.rows], how="vertical_relaxed"),
        pl.concat([batch.quarantine, other.quarantine], how="vertical_relaxed"),
        [*batch.files, *other.files],
    )


def _replace_days(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    days: list[dt.date],
    batch: ExportBatch,
    loaded_at: dt.datetime,
) -> None:
    """Delete `days` of `kind` from raw.<table> and the quality tables, insert `batch`, in one transaction."""
    quarantine = _quarantine_rows(kind, batch, loaded_at)
    log = _load_log_rows(kind, batch, loaded_at)
    table = f"raw.{RAW_TABLE[kind]}"
    with transaction(con):
        for target, day_column, kind_filter in (
            (table, "_export_date", ""),
            ("quality.quarantine", "export_date", " and kind = $kind"),
            ("quality.load_log", "export_date", " and kind = $kind"),
        ):
            params: dict[str, object] = {"days": days}
            if kind_filter:
                params["kind"] = kind
            con.execute(
                f"delete from {target} "
                f"where {day_column} in (select unnest($days::date[])){kind_filter}",
                params,
            )
        for target, frame in (
            (table, batch.rows),
            ("quality.quarantine", quarantine),
            ("quality.load_log", log),
        ):
            if frame.height:
                insert_frame(con, target, frame)


def _quarantine_rows(kind: str, batch: ExportBatch, loaded_at: dt.datetime) -> pl.DataFrame:
    """The batch's quarantined lines as rows of quality.quarantine."""
    return batch.quarantine.select(
        pl.lit(kind).alias("kind"),
        pl.col("_export_date").alias("export_date"),
        pl.col("_file").alias("file"),
        "line",
        "column_name",
        "raw_value",
        "reason",
        pl.lit(loaded_at).alias("loaded_at"),
    )


def _load_log_rows(kind: str, batch: ExportBatch, loaded_at: dt.datetime) -> pl.DataFrame:
    """One quality.load_log row per file of the batch."""
    return pl.DataFrame(
        [
            (
                kind,
                f.export_date,
                f.file,
                f.format,
                f.rows_read,
                f.rows_loaded,
                f.rows_quarantined,
                loaded_at,
            )
            for f in batch.files
        ],
        schema={
            "kind": pl.String(),
            "export_date": pl.Date(),
            "file": pl.String(),
            "format": pl.String(),
            "rows_read": pl.Int64(),
            "rows_loaded": pl.Int64(),
            "rows_quarantined": pl.Int64(),
            "loaded_at": pl.Datetime("us"),
        },
        orient="row",
    )
