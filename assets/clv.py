"""Marts layer, customer lifetime value: BG/NBD and Pareto/NBD fitted and validated on a
holdout, Gamma-Gamma for spend (forecasting/clv); four tables. The validation runs on the
backtests' weekly cadence (assets/clv_validation.py); every run refits the kept model on
the whole history and scores the customers."""

import json
from datetime import UTC, date, datetime

import dagster as dg
import duckdb
import polars as pl
from dagster_duckdb import DuckDBResource

from assets.clv_validation import INPUTS_KEY, kept_validation, validation_inputs
from assets.sql_asset import RebuildConfig
from assets.warehouse import last_metadata, table_result
from config.pools import DUCKDB_POOL
from config.resources import SettingsResource
from config.settings import ClvSettings, Settings
from forecasting.clv.tables import (
    ClvTables,
    ClvValidation,
    ScoringSettings,
    build_clv_tables,
    build_scored_tables,
)
from forecasting.clv.validation import split_dates
from incremental.backtest_cadence import CLV_VALIDATION, BacktestInputs, decide_backtest
from warehouse.frames import append_frame, query, scalar, table_exists, write_frame
from warehouse.preview import markdown_preview

ORDER_LINES_SQL = (
    "select customer_key, order_id, order_date, quantity, order_status, cast(line_amount as double) as line_amount"
    " from staging.stg_order_lines"
    # A fixed order: sums of floats depend on it, and a rerun must fit bit-identical inputs.
    " order by customer_key, order_date, order_id, line_number"
)
CLV_SPECS = {
    "customer_clv": "One row per identified customer with a placed order: probability alive, expected "
    "purchases in the next 30/90/365 days, expected spend per purchase, CLV over clv.horizon_days "
    "(discounted, at the gross margin), CLV decile and the model used, plus the calibration summary and "
    "holdout predicted vs actual repeat purchases (from the last validation). Rewritten every run with "
    "the model the last validation kept, refitted on the whole history.",
    "clv_model": "One row per run, model and fit window (calibration: validated on the holdout; full: "
    "refitted on all history to score customers): parameters, log-likelihood, holdout predicted vs actual "
    "repeat purchases (Gamma-Gamma: spend per purchase), naive baseline, which model is kept, and whether "
    "the models apply to this shop and why not. Appended every run, so parameter drift shows: the "
    "calibration rows when the run validated (weekly, with the backtests, or when the clv settings or "
    "the history's first day changed; incremental/backtest_cadence.py), the full rows every run.",
    "clv_tracking": "One row per model and period (time unit) from the first purchase to the holdout end: "
    "cumulative repeat purchases of the calibration customers, actual vs predicted. Written by the "
    "CLV validation; runs that keep it leave the table as it is.",
    "clv_conditional": "One row per model and calibration frequency (0..7+): mean holdout repeat purchases, "
    "actual vs predicted (the naive baseline too). Written by the CLV validation, like clv_tracking.",
}


def write_clv_tables(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    run_at: datetime,
    lines: pl.DataFrame | None = None,
) -> ClvTables:
    """Validate and fit the CLV models on staging.stg_order_lines and write the four marts.

    Args:
        con: the warehouse connection (writer).
        settings: run settings; the `clv` section sets the split, horizon, discount and margin.
        run_at: the time recorded with this run's marts.clv_model rows.
        lines: the order lines (ORDER_LINES_SQL) when the caller has read them already.

    Returns:
        The ClvTables written.
    """
    cfg = settings.clv
    lines = query(con, ORDER_LINES_SQL) if lines is None else lines
    calibration_end, holdout_end = _split(cfg, lines, run_at)
    tables = build_clv_tables(
        lines,
        calibration_end,
        holdout_end,
        cfg.time_unit,
        cfg.horizon_days,
        cfg.annual_discount_rate,
        cfg.gross_margin,
        run_at,
    )
    write_frame(con, "marts", "clv_tracking", tables.tracking)
    write_frame(con, "marts", "clv_conditional", tables.conditional)
    return _write_scores(con, tables)


def rescore_clv_tables(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    run_at: datetime,
    lines: pl.DataFrame,
    validation: ClvValidation,
) -> ClvTables:
    """A run that keeps the last validation: refit its kept model and Gamma-Gamma on the
    whole history, rewrite customer_clv and append the full-window rows of clv_model.

    Args:
        con: the warehouse connection (writer).
        settings: run settings (the `clv` section).
        run_at: the time recorded with this run's marts.clv_model rows.
        lines: the order lines (ORDER_LINES_SQL).
        validation: the kept validation (assets/clv_validation.py, kept_validation).
    """
    cfg = settings.clv
    options = ScoringSettings(
        cfg.time_unit, cfg.horizon_days, cfg.annual_discount_rate, cfg.gross_margin
    )
    holdout_end = _split(cfg, lines, run_at)[1]
    return _write_scores(con, build_scored_tables(lines, validation, holdout_end, options, run_at))


def _split(cfg: ClvSettings, lines: pl.DataFrame, run_at: datetime) -> tuple[date, date]:
    first_day = lines["order_date"].min() or run_at.date()
    last_day = lines["order_date"].max() or run_at.date()
    return split_dates(cfg.calibration_end, cfg.holdout_end, first_day, last_day)


def _write_scores(con: duckdb.DuckDBPyConnection, tables: ClvTables) -> ClvTables:
    write_frame(con, "marts", "customer_clv", tables.customer_clv)
    _add_new_columns(con, "marts.clv_model", tables.models)
    append_frame(con, "marts", "clv_model", tables.models)
    return tables


def _add_new_columns(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Give a history table written by an older version the columns this run adds (NULL
    in its earlier rows), so the append below matches every column by name."""
    if not table_exists(con, table):
        return
    existing = set(query(con, f"select * from {table} limit 0").columns)
    con.register("clv_model_incoming", frame.head(0).to_arrow())
    types = dict(
        con.execute("select column_name, column_type from (describe clv_model_incoming)").fetchall()
    )
    con.unregister("clv_model_incoming")
    for column in frame.columns:
        if column not in existing:
            con.execute(f'alter table {table} add column "{column}" {types[column]}')


def _model_metadata(tables: ClvTables) -> dict[str, object]:
    models = tables.models.select(
        "model",
        "fit_window",
        "parameters",
        "customers",
        "holdout_predicted",
        "holdout_actual",
        "holdout_mae",
        "naive_predicted",
        "naive_mae",
        "better_than_naive",
        "selected",
        "note",
    )
    calibration = models.filter(pl.col("fit_window") == "calibration")
    not_better = (
        calibration.filter(pl.col("better_than_naive").not_()).get_column("model").to_list()
    )
    return {
        "selected_model": tables.selected or "none",
        "parameters": dg.MetadataValue.json(
            {
                f"{r['model']} ({r['fit_window']})": json.loads(r["parameters"])
                if r["parameters"]
                else None
                for r in models.iter_rows(named=True)
            }
        ),
        "models": dg.MetadataValue.md(markdown_preview(models, rows=10)),
        "holdout_predicted_vs_actual": dg.MetadataValue.json(
            {
                r["model"]: {
                    "predicted": r["holdout_predicted"],
                    "actual": r["holdout_actual"],
                    "naive_predicted": r["naive_predicted"],
                    "mae": r["holdout_mae"],
                    "naive_mae": r["naive_mae"],
                    "better_than_naive": r["better_than_naive"],
                }
                for r in calibration.iter_rows(named=True)
            }
        ),
        "not_better_than_naive": dg.MetadataValue.json(not_better),
        "models_apply": {True: "yes", False: "no", None: "not checked: no holdout"}[
            tables.models["models_apply"][0]
        ],
        "not_applicable_because": tables.models["not_applicable_because"][0] or "",
        "calibration_end": str(tables.validation.calibration_end),
        "holdout_end": str(tables.validation.holdout_end),
        "guest_orders_excluded": dg.MetadataValue.int(tables.guest_orders),
    }


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["marts", name],
            group_name="marts",
            description=description,
            kinds={"duckdb", "scipy"},
            deps=[dg.AssetKey(["staging", "stg_order_lines"])],
        )
        for name, description in CLV_SPECS.items()
    ],
    pool=DUCKDB_POOL,
)
def clv_marts(
    context: dg.AssetExecutionContext,
    config: RebuildConfig,
    settings: SettingsResource,
    duckdb: DuckDBResource,
):
    run_settings = settings.get()
    run_at = datetime.now(UTC).replace(tzinfo=None)
    last = BacktestInputs.from_metadata(last_metadata(context.instance, INPUTS_KEY))
    with duckdb.get_connection() as con:
        lines = query(con, ORDER_LINES_SQL)
        now = validation_inputs(run_settings.clv, lines)
        kept = kept_validation(con)
        decision = decide_backtest(
            last,
            now,
            run_settings.forecasting.backtest_every_days,
            forced=config.full_rebuild,
            tables_present=kept is not None,
            evaluation=CLV_VALIDATION,
        )
        context.log.info(f"CLV validation: {decision.reason}")
        if decision.run:
            tables = write_clv_tables(con, run_settings, run_at, lines)
            # Nothing fitted (too few customers) records no inputs: the next run tries again.
            seen = now.as_metadata() if tables.selected else {}
        else:
            tables = rescore_clv_tables(con, run_settings, run_at, lines, kept)
            seen = last.as_metadata()  # a kept validation carries forward what it saw
        build = {
            "build": "validation" if decision.run else "kept",
            "build_reason": decision.reason,
        }
        yield from _results(context, con, tables, {**build, **seen}, build)


def _results(
    context: dg.AssetExecutionContext,
    con: duckdb.DuckDBPyConnection,
    tables: ClvTables,
    recorded: dict[str, object],
    build: dict[str, object],
):
    """One MaterializeResult per table; warnings when a model loses to the baseline."""
    notes = _model_metadata(tables)
    for model in tables.models.filter(pl.col("better_than_naive").not_())["model"]:
        context.log.warning(
            f"CLV model {model} is not better than the naive baseline on the holdout"
        )
    if tables.models["models_apply"][0] is False:
        context.log.warning(
            "The CLV models do not apply to this shop, so the dashboard shows no probability "
            f"alive or CLV: {tables.models['not_applicable_because'][0]}"
        )
    runs = scalar(con, "select count(distinct run_at) from marts.clv_model")
    for name in CLV_SPECS:
        extra = notes if name in ("customer_clv", "clv_model") else {}
        if name == "clv_model":
            extra = {**extra, "runs_recorded": dg.MetadataValue.int(runs)}
        extra = {**extra, **(recorded if ["marts", name] == INPUTS_KEY else build)}
        result = table_result(con, "marts", name, **extra)
        yield dg.MaterializeResult(asset_key=["marts", name], metadata=result.metadata)
