"""The one job: refresh the whole warehouse for a range of export days.

Raw assets load only the days of the run's partition range; everything downstream is
rebuilt from the staged history, so a late file for an old day flows all the way through.
The refresh job takes its partitions (the export days) from the raw assets, which
`build_definitions` makes from the settings (config.partitions.export_days).
"""

import dagster as dg

from assets.clv_validation import TABLES as CLV_TABLES
from assets.feedback_text import FEEDBACK_TEXT_SPECS
from incremental.backtest_cadence import TABLES as BACKTEST_TABLES

REFRESH_JOB_NAME = "refresh"

refresh_job = dg.define_asset_job(
    REFRESH_JOB_NAME,
    selection=dg.AssetSelection.all(),
    description="Load the export days of the partition range into raw, then rebuild staging, "
    "marts, forecasts, reorder recommendations and the dashboards.",
)

MODEL_BACKTEST_JOB_NAME = "model_backtest"

model_backtest_job = dg.define_asset_job(
    MODEL_BACKTEST_JOB_NAME,
    selection=dg.AssetSelection.assets(
        *(["forecasts", table] for table in BACKTEST_TABLES),
        ["inventory", "policy_backtest"],
        *(table.split(".") for table in CLV_TABLES),
        *(["marts", table] for table in FEEDBACK_TEXT_SPECS),
    ),
    description="Backtest every candidate model on the demand history and choose the models "
    "each demand-pattern class averages (forecasts.demand_backtest, accuracy_summary, "
    "model_choice, sku_reliability); replay the reorder policies over the last trading days "
    "(inventory.policy_backtest); validate the CLV models on a holdout and rescore the "
    "customers (marts.customer_clv, clv_model, clv_tracking, clv_conditional); fit the "
    "review-text models again (the feedback text marts).",
)
