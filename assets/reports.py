"""Reports layer: the static dashboard site and the reorder file merchandisers open."""

import shutil

import dagster as dg

from config.pools import DUCKDB_POOL
from config.resources import RunPaths, SettingsResource
from reports.inputs import ASSET_TABLES
from reports.pages.reorder.page import REORDER_CSV
from reports.site.publish import previous_site, publish_site
from warehouse.connect import connect


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
        written = publish_site(con, paths.site)
    shutil.copyfile(paths.site / REORDER_CSV, paths.reorder_csv)
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
