"""Reports layer: the static dashboard site and the reorder file merchandisers open."""


import dagster as dg
import duckdb

from assets.warehouse import query
from pipelines.pools import DUCKDB_POOL
from pipelines.resources import RunPaths
from reports.publish import publish_site

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
    ["marts", "sku_demand_daily"],
    ["forecasts", "demand_forecast"],
    ["inventory", "reorder_recommendations"],
]


@dg.asset(
    key=["reports", "site"],
    group_name="reports",
    deps=[dg.AssetKey(k) for k in SITE_INPUTS],
    pool=DUCKDB_POOL,
    kinds={"plotly", "html"},
    description="The dashboard site: overview, funnel, customers, feedback and reorder pages "
    "plus one local plotly.min.js; "
    "opens from disk with no internet. Also writes reorder_recommendations.csv beside it.",
)
def site(context: dg.AssetExecutionContext, paths: RunPaths) -> dg.MaterializeResult:
    # Reports only read: a read-only connection can never take the writer's lock from a run.
    with duckdb.connect(str(paths.warehouse), read_only=True) as con:
        written = publish_site(con, paths.site)
        query(con, "select * from inventory.reorder_recommendations order by order_by, sku").write_csv(
            paths.reorder_csv
        )
    context.log.info(f"site written to {paths.site / 'index.html'}")
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(paths.site / "index.html")),
            "pages": dg.MetadataValue.json([p.name for p in written]),
            "reorder_csv": dg.MetadataValue.path(str(paths.reorder_csv)),
        }
    )
