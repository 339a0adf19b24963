"""Reports layer: the static dashboard site and the reorder file merchandisers open, and
the analyst copy of the warehouse that notebooks and analysts read."""

from collections.abc import Sequence

import dagster as dg

from config.pools import DUCKDB_POOL
from config.resources import RunPaths, SettingsResource
from config.settings import IngestSettings
from incremental.copy_plan import plan_analyst_copy, record_analyst_copy
from quality.check_scope import forget_done_writes, forget_unchecked_writes
from quality.checks import checks_per_table
from quality.suites import SUITES
from reports.inputs import ASSET_TABLES
from reports.pages.reorder.page import REORDER_CSV
from reports.site.publish import copy_published_file, previous_site, publish_site
from warehouse.analyst_copy import ANALYST_SCHEMAS, SOURCE, publish_analyst_copy
from warehouse.connect import connect


def shop_currency(con, ingest: IngestSettings) -> str | None:
    """The currency the pages label money with: the one code the loaded order lines name
    (rows that name none took `ingest.currency`), else the one accepted currency the
    settings name; None when the lines hold several and the settings name none of them."""
    has_lines = con.execute(
        "select count(*) from duckdb_tables()"
        " where schema_name = 'staging' and table_name = 'stg_order_lines'"
    ).fetchone()[0]
    codes = []
    if has_lines:
        rows = con.execute(
            "select distinct currency from staging.stg_order_lines where currency is not null"
        ).fetchall()
        codes = [code for (code,) in rows]
    if len(codes) == 1:
        return codes[0]
    accepted = ingest.accepted_currencies or ()
    return accepted[0] if len(accepted) == 1 else (None if codes else ingest.currency)


@dg.asset(
    key=["reports", "site"],
    group_name="reports",
    deps=[dg.AssetKey(table.split(".")) for table in ASSET_TABLES],
    pool=DUCKDB_POOL,
    kinds={"plotly", "html"},
    description="The dashboard site, one HTML file per page (overview, funnel, sales, customers, "
    "feedback, demand, reorder, data quality) plus one local plotly.js bundle and the reorder "
    "list as CSV and XLSX; opens from disk with no internet. Replaced atomically, the run before "
    "kept in <site>.previous. Also copies reorder_recommendations.csv into the data directory.",
)
def site(
    context: dg.AssetExecutionContext, paths: RunPaths, settings: SettingsResource
) -> dg.MaterializeResult:
    # Reports only read: a read-only connection can never take the writer's lock from a run.
    with connect(paths.warehouse, read_only=True, settings=settings.get().warehouse) as con:
        written = publish_site(con, paths.site, currency=shop_currency(con, settings.get().ingest))
    copy_published_file(paths.site / REORDER_CSV, paths.reorder_csv)
    page_bytes = {p.name: p.stat().st_size for p in written if p.suffix == ".html"}
    context.log.info(f"site written to {paths.site / 'index.html'}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(paths.site)),
            "index": dg.MetadataValue.path(str(paths.site / "index.html")),
            "previous": dg.MetadataValue.path(str(previous_site(paths.site))),
            "page_bytes": dg.MetadataValue.json(page_bytes),
            "pages_total_bytes": dg.MetadataValue.int(sum(page_bytes.values())),
            "files": dg.MetadataValue.json([p.name for p in written]),
            "reorder_csv": dg.MetadataValue.path(str(paths.reorder_csv)),
        }
    )


def analyst_copy_asset(warehouse_assets: Sequence[dg.AssetsDefinition]) -> dg.AssetsDefinition:
    """The asset that publishes the analyst copy, downstream of every asset in `warehouse_assets`.

    Being downstream of every warehouse writer (the raw loads too, which keep the load log
    and quarantine in `quality`) makes it the last step to touch the warehouse, after every
    blocking check of a table it copies: a failed check, or any failed step upstream, stops
    it, and the previous copy stays in place.
    """
    upstream = sorted(
        {key for asset in warehouse_assets for key in asset.keys}, key=lambda key: key.path
    )

    @dg.asset(
        key=["reports", "analyst_copy"],
        group_name="reports",
        deps=upstream,
        pool=DUCKDB_POOL,
        kinds={"duckdb"},
        description="The analyst copy: one DuckDB file with every table of the schemas "
        f"{', '.join(ANALYST_SCHEMAS)} (never raw, staging or build_state), which notebooks and "
        "analysts read instead of the warehouse the writer holds. Replaced atomically after each "
        "run, as the previous copy with the rows the run rewrote copied again (every table when "
        "that copy is missing or in doubt); a run that fails upstream leaves the copy before it.",
    )
    def analyst_copy(
        context: dg.AssetExecutionContext, paths: RunPaths, settings: SettingsResource
    ) -> dg.MaterializeResult:
        warehouse = settings.get().warehouse
        day_columns = {table: suite.day_column for table, suite in SUITES.items()}
        with connect(paths.warehouse, settings=warehouse) as con:
            changes = plan_analyst_copy(con, SOURCE, day_columns)
        copy = publish_analyst_copy(
            paths.warehouse, paths.analyst_copy, settings=warehouse, changes=changes
        )
        with connect(paths.warehouse, settings=warehouse) as con:
            record_analyst_copy(con, changes.through, copy.file_id)
            checked = checks_per_table()
            forget_done_writes(con, checked)
            forget_unchecked_writes(con, checked)
        context.log.info(
            f"analyst copy written to {copy.path}: {len(copy.rows)} tables, "
            f"{copy.bytes / 1e6:.1f} MB in {copy.seconds:.1f} s ({copy.reason})"
        )
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(copy.path)),
                "tables": dg.MetadataValue.int(len(copy.rows)),
                "row_count": dg.MetadataValue.int(sum(copy.rows.values())),
                "rows_per_table": dg.MetadataValue.json(copy.rows),
                "bytes": dg.MetadataValue.int(copy.bytes),
                "seconds": dg.MetadataValue.float(round(copy.seconds, 2)),
                "whole": dg.MetadataValue.bool(copy.whole),
                "how": dg.MetadataValue.text(copy.reason),
            }
        )

    return analyst_copy
