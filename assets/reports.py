"""Reports layer: the static dashboard site and the reorder file merchandisers open."""

import shutil

import dagster as dg

from config.pools import DUCKDB_POOL
from config.resources import RunPaths, SettingsResource
from reports.pages import REORDER_CSV
from reports.publish import previous_site, publish_site
from warehouse.connect import connect

SITE_INPUTS = [
    ["marts", "conversion_daily"],
    ["marts", "orders_daily"],
    ["marts", "customers"],
    ["marts", "clv_model"],
    ["marts", "clv_tracking"],
    ["marts", "clv_conditional"],
    ["marts", "funnel_daily"],
    ["marts", "cart_abandonment_daily"],
    ["marts", "customer_rates_monthly"],
    ["marts", "cohort_retention"],
    ["marts", "feedback_daily"],
    ["marts", "product_ratings"],
    ["marts", "fulfilment_daily"],
    ["marts", "delivery_feedback"],
    ["marts", "sku_demand_daily"],
    ["marts", "sales_by_sku_daily"],
    ["forecasts", "demand_forecast"],
    ["forecasts", "accuracy_summary"],
    ["forecasts", "demand_backtest"],
    ["inventory", "reorder_recommendations"],
    ["inventory", "policy_backtest"],
]


@dg.asset(
    key=["reports", "site"],
    group_name="reports",
    deps=[dg.AssetKey(k) for k in SITE_INPUTS],
    pool=DUCKDB_POOL,
    kinds={"plotly", "html"},
    description="The dashboard site, one HTML file per page (overview, funnel, sales, customers, "
    "feedback, reorder, data quality) plus one local plotly.js bundle and the reorder list as CSV "
    "and XLSX; opens from disk with no internet. Replaced atomically, the run before kept in "
    "<site>.previous. Also copies reorder_recommendations.csv into the data directory.",
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
