"""Raw layer: each export kind loaded into `raw.<table>`, one partition per export day.

A run covers a range of export days in one step (single-run backfill): for those days the
rows of `raw.<table>`, `quality.quarantine` and `quality.load_log` are deleted and loaded
again, in one transaction per chunk of days (up to `ingest.load.LOAD_CHUNK_BYTES` of
files), so re-running a day never doubles it and a year of a large shop's web events never
sits in memory at once.
"""

import datetime as dt

import dagster as dg
import polars as pl
from dagster_duckdb import DuckDBResource

from config.pools import DUCKDB_POOL
from config.resources import RunPaths, SettingsResource
from contract.exports import KINDS, RAW_TABLE
from ingest.bounds import RowBounds
from ingest.load import LoadReport, load_days
from quality.feed_checks import quarantine_share_result, quarantine_share_spec
from quality.results import record_results
from warehouse.frames import query
from warehouse.preview import markdown_preview


def partition_days(context: dg.AssetExecutionContext) -> list[dt.date]:
    window = context.partition_time_window
    first, end = window.start.date(), window.end.date()
    return [first + dt.timedelta(days=i) for i in range((end - first).days)]


def _rows_reconcile(report: LoadReport) -> dg.AssetCheckResult:
    """Nothing lost: every row read was loaded or quarantined. A failure names each file
    (and day) whose counts do not add up."""
    unreconciled = [
        f"{f.file} ({f.export_date}): read {f.rows_read}, loaded {f.rows_loaded}, "
        f"quarantined {f.rows_quarantined}"
        for f in report.files
        if f.rows_read != f.rows_loaded + f.rows_quarantined
    ]
    description = "rows read = rows loaded + rows quarantined"
    if unreconciled:
        description = "rows read differ from rows loaded + quarantined in " + "; ".join(
            unreconciled
        )
    return dg.AssetCheckResult(
        check_name="rows_reconcile",
        passed=not unreconciled,
        metadata={
            "rows_read": report.rows_read,
            "rows_loaded": report.rows_loaded,
            "rows_quarantined": report.rows_quarantined,
        },
        description=description,
    )


def _load_metadata(
    days: list[dt.date], report: LoadReport, quarantined: pl.DataFrame
) -> dict[str, object]:
    """What a load did, for the Dagster UI: days, files, formats, rows and quarantine reasons."""
    formats = ", ".join(f"{f} ({n} files)" for f, n in sorted(report.formats.items()))
    return {
        "days": f"{days[0]} .. {days[-1]}",
        "files": len(report.files),
        "formats": formats or "(no files)",
        "rows_read": report.rows_read,
        "row_count": report.rows_loaded,
        "rows_quarantined": report.rows_quarantined,
        "quarantine_reasons": dg.MetadataValue.md(markdown_preview(quarantined, rows=10)),
    }


def _raw_asset(kind: str, export_days: dg.PartitionsDefinition) -> dg.AssetsDefinition:
    table = RAW_TABLE[kind]

    @dg.asset(
        key=["raw", table],
        group_name="raw",
        partitions_def=export_days,
        backfill_policy=dg.BackfillPolicy.single_run(),
        # Shipments are checked against the loaded orders (ingest/cross_kind.py).
        deps=[dg.AssetKey(["raw", RAW_TABLE["orders"]])] if kind == "shipments" else None,
        pool=DUCKDB_POOL,
        kinds={"duckdb"},
        check_specs=[
            dg.AssetCheckSpec("rows_reconcile", asset=["raw", table], blocking=True),
            quarantine_share_spec(table),
        ],
        description=(
            f"One row per line of the {kind} export files, as exported, mapped onto the data "
            f"contract's columns, with its file, line and export day. Rows that cannot be "
            f"loaded are in quality.quarantine with the reason."
        ),
    )
    def _asset(
        context: dg.AssetExecutionContext,
        paths: RunPaths,
        settings: SettingsResource,
        duckdb: DuckDBResource,
    ):
        days = partition_days(context)
        cfg = settings.get()
        paths.ensure_data_dir()
        with duckdb.get_connection() as con:
            report = load_days(  # creates the tables it and the queries below need
                con,
                paths.exports,
                kind,
                days,
                settings_currency=cfg.ingest.currency,
                accepted_currencies=cfg.ingest.accepted_currencies,
                bounds=RowBounds.from_settings(cfg.ingest, cfg.history, schedule=cfg.schedule),
            )
            quarantined = query(
                con,
                "select reason, count(*) as rows from quality.quarantine "
                "where kind = ? and export_date between ? and ? group by reason order by rows desc limit 10",
                [kind, days[0], days[-1]],
            )
            share = quarantine_share_result(con, kind, days, cfg.quality.max_quarantine_share)
            check_results = record_results(
                con,
                context.run.run_id,
                [_rows_reconcile(report), share],
                asset=dg.AssetKey(["raw", table]),
            )
        context.log.info(
            f"{kind}: {report.rows_read} rows read from {len(report.files)} files over {len(days)} days; "
            f"{report.rows_loaded} loaded, {report.rows_quarantined} quarantined"
        )
        for name, fmt in report.detected_formats.items():
            context.log.info(
                f"{name}: format {fmt} detected from the header (name it in exports.yaml)"
            )
        for note in report.notes:
            context.log.warning(note)
        yield dg.MaterializeResult(
            metadata=_load_metadata(days, report, quarantined), check_results=check_results
        )

    return _asset


def raw_assets(export_days: dg.PartitionsDefinition) -> list[dg.AssetsDefinition]:
    """One raw asset per export kind, partitioned by `export_days` (config.partitions)."""
    return [_raw_asset(kind, export_days) for kind in KINDS]
