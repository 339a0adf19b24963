"""Dagster assets by layer. Asset keys are [schema, table] of the warehouse."""

import dagster as dg

from assets.clv import clv_marts
from assets.feedback_text import feedback_text_marts
from assets.forecasts import demand_backtest, demand_forecast
from assets.inventory import reorder_recommendations
from assets.inventory_risk import RISK_ASSETS
from assets.marts import MART_ASSETS
from assets.policy_backtest import policy_backtest
from assets.raw import raw_assets
from assets.reports import analyst_copy_asset, site
from assets.staging import STAGING_ASSETS


def all_assets(export_days: dg.PartitionsDefinition) -> list[dg.AssetsDefinition]:
    """Every asset: the warehouse's (the raw layer partitioned by `export_days`), the
    dashboard site and the analyst copy."""
    warehouse = [
        *raw_assets(export_days),
        *STAGING_ASSETS,
        *MART_ASSETS,
        clv_marts,
        demand_backtest,
        demand_forecast,
        reorder_recommendations,
        policy_backtest,
        *RISK_ASSETS,
        feedback_text_marts,
    ]
    return [*warehouse, site, analyst_copy_asset(warehouse)]
