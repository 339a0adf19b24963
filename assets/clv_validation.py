"""The CLV validation on the backtests' cadence (incremental/backtest_cadence.py): what a
validation sees, and what a run that keeps the last one reads back from the warehouse.

The validation (calibration and holdout fits, the model kept, clv_tracking,
clv_conditional and the calibration rows of clv_model) is most of clv_marts' cost; other
runs only refit the kept model and Gamma-Gamma on the whole history and score the
customers (forecasting/clv/tables.py, build_scored_tables)."""

import duckdb
import polars as pl

from config.settings import ClvSettings
from forecasting.clv.tables import ClvValidation
from incremental.backtest_cadence import BacktestInputs, clv_settings_key, tables_present
from warehouse.frames import query

# The materialization whose metadata records what the last validation saw: a table only a
# validation rewrites.
INPUTS_KEY = ["marts", "clv_tracking"]
TABLES = tuple(
    f"marts.{t}" for t in ("customer_clv", "clv_model", "clv_tracking", "clv_conditional")
)
# The calibration rows of the last validation: the model it kept and its verdict.
LAST_VALIDATION_SQL = """
select model, selected, models_apply, not_applicable_because, calibration_end, holdout_end
from marts.clv_model
where fit_window = 'calibration'
    and run_at = (select max(run_at) from marts.clv_model where fit_window = 'calibration')
"""
# Each calibration customer's holdout repeat purchases, actual and predicted, as the last
# validation wrote them into customer_clv (and every run since carried forward).
HOLDOUT_SQL = """
select customer_key, holdout_actual, holdout_predicted
from marts.customer_clv
where holdout_actual is not null
"""


def validation_inputs(cfg: ClvSettings, order_lines: pl.DataFrame) -> BacktestInputs:
    """What a validation would see now: the clv settings and the order history's first and
    last day (the days the default split is drawn from)."""
    days = order_lines["order_date"]
    return BacktestInputs(clv_settings_key(cfg), days.min(), days.max())


def kept_validation(con: duckdb.DuckDBPyConnection) -> ClvValidation | None:
    """The last validation as the warehouse holds it; None when one of its tables is
    missing or its calibration rows are gone (trimmed by the history retention)."""
    if not tables_present(con, TABLES):
        return None
    rows = query(con, LAST_VALIDATION_SQL)
    if rows.is_empty():
        return None
    kept = rows.filter(pl.col("selected").fill_null(False))["model"]
    holdout = query(con, HOLDOUT_SQL).with_columns(
        pl.col("holdout_actual").cast(pl.Int64), pl.col("holdout_predicted").cast(pl.Float64)
    )
    return ClvValidation(
        selected=kept[0] if len(kept) else None,
        models_apply=rows["models_apply"][0],
        not_applicable_because=rows["not_applicable_because"][0],
        calibration_end=rows["calibration_end"][0],
        holdout_end=rows["holdout_end"][0],
        holdout=holdout,
    )
