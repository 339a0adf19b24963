"""Dagster assets by layer. Asset keys are [schema, table] of the warehouse."""

from assets.clv import clv_marts
from assets.forecasts import demand_backtest, demand_forecast
from assets.inventory import policy_backtest, reorder_recommendations
from assets.marts import MART_ASSETS
from assets.raw import RAW_ASSETS
from assets.reports import site
from assets.staging import STAGING_ASSETS

ALL_ASSETS = [
    *RAW_ASSETS,
    *STAGING_ASSETS,
    *MART_ASSETS,
    clv_marts,
    demand_backtest,
    demand_forecast,
    reorder_recommendations,
    policy_backtest,
    site,
]
