"""Forecast accuracy of every candidate model and of `selected` on the real Online Retail data.

The reference setup (docs/forecasting.md), through the pipeline's own code: the 305 day files are loaded
by the ingest (online-retail format), staged, and marts.sku_demand_daily gives the demand
(trading days only; non-product codes, cancellations, stock adjustments and sales reversed
within 24 h excluded; 2011-12-09 flagged as a partial day and dropped). The backtest has 8
back-to-back windows of 28 trading days; the last, 2011-11-07..2011-12-08, is the holdout;
SKUs need 56 trading days of history before their first window. `selected` is chosen on
the 7 earlier windows only.

    .venv/bin/python bench/forecast_accuracy.py [--models nightly|all] [--warehouse FILE]
        [--bucket day|week|month] [--horizon N]

`--bucket week` runs the same backtest in ISO weeks (forecasting/buckets.py): 4 windows of
5 weeks (the calendar span of 28 trading days; the last, 2011-10-31..12-04, is the
holdout; the week of the partial 2011-12-09 is not complete and not history), 10 weeks of
history before a SKU's first window, a yearly season of 52 weeks (longer than the data,
so the seasonal models are left out and Naive, last week's demand, is the benchmark
beside them), and the class choice scores each week's error.

`--warehouse` reads marts.sku_demand_daily of a built warehouse (e.g. the demo's) instead.
Prints WAPE, WAPE on 7-day sums, MASE and bias per model and class, each class's verdict
on the per-class rule (bench/class_verdict.py), the wall time and the share of it spent
inside statsforecast.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from bench.class_verdict import class_verdicts
from bench.stores import link_files

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assets.warehouse import build_table, prepare
from config.settings import ForecastingSettings, Settings
from forecasting import engine
from forecasting.bucket_series import bucket_series
from forecasting.buckets import bucket_plan
from forecasting.evaluation import evaluate_models
from forecasting.models import CANDIDATES, SEASONAL_NAIVE, ZERO
from forecasting.selection import SELECTED
from ingest.load import ensure_tables, load_days
from warehouse.connect import connect
from warehouse.frames import query

DEFAULT_HORIZON = {"day": 28, "week": 5, "month": 2}
# Daily buckets use the pipeline's window count; a year of weekly or monthly buckets has
# room for 4 windows after the history a SKU needs before its first one.
DEFAULT_WINDOWS = {"week": 4, "month": 4}
BY_DAY = ROOT.parent / "shared" / "data" / "online_retail" / "by-day"
MODELS = (
    "staging.stg_catalog",
    "staging.stg_inventory",
    "staging.stg_order_lines",
    "marts.sku_demand_daily",
)
DEMAND_SQL = "select sku, day, is_trading_day, is_partial_day, demand_units, is_stockout from marts.sku_demand_daily"


def online_retail_demand(by_day: Path) -> pl.DataFrame:
    """marts.sku_demand_daily built from the Online Retail day files in a scratch warehouse."""
    with tempfile.TemporaryDirectory() as scratch:
        exports = Path(scratch)
        link_files(by_day, exports / "orders")
        (exports / "exports.yaml").write_text("orders: {format: online-retail}\n")
        con = connect(":memory:")
        ensure_tables(con)
        load_days(con, exports, "orders")
        prepare(con, Settings(), salt="bench" * 8)
        for table in MODELS:
            schema, name = table.split(".")
            build_table(con, schema, name)
        demand = query(con, DEMAND_SQL)
        con.close()
    return demand


def class_table(summary: pl.DataFrame) -> pl.DataFrame:
    """Per class: selected, the best single model on the holdout, Zero, SeasonalNaive and
    Naive (WAPE / WAPE on the summed steps), and the holdout coverage of selected's bands."""
    single = summary.filter(~pl.col("model").is_in([SELECTED, ZERO]) & pl.col("wape").is_not_null())
    best = single.sort("wape").group_by("demand_pattern").first()

    def figures(frame: pl.DataFrame, name: str) -> pl.DataFrame:
        return frame.select(
            "demand_pattern",
            pl.format("{} / {}", pl.col("wape").round(3), pl.col("wape_7d").round(3)).alias(name),
        )

    def model(name: str) -> pl.DataFrame:
        return figures(summary.filter(pl.col("model") == name), name)

    selected = summary.filter(pl.col("model") == SELECTED)
    return (
        selected.select(
            "demand_pattern",
            "skus",
            pl.format("{} / {}", pl.col("wape").round(3), pl.col("wape_7d").round(3)).alias(
                "selected"
            ),
            pl.format(
                "{} / {} %",
                (pl.col("coverage_80") * 100).round(0),
                (pl.col("coverage_95") * 100).round(0),
            ).alias("inside 80 / 95 %"),
        )
        .join(
            best.select(
                "demand_pattern",
                pl.format(
                    "{} {} / {}", "model", pl.col("wape").round(3), pl.col("wape_7d").round(3)
                ).alias("best single"),
            ),
            on="demand_pattern",
            how="left",
        )
        .join(model(ZERO), on="demand_pattern", how="left")
        .join(model(SEASONAL_NAIVE), on="demand_pattern", how="left")
        .join(model("Naive"), on="demand_pattern", how="left")
        .sort("demand_pattern")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--models",
        choices=("nightly", "all"),
        default="nightly",
        help="nightly: the default candidates; all: AutoETS and AutoTheta too",
    )
    parser.add_argument(
        "--warehouse", type=Path, help="read marts.sku_demand_daily from this DuckDB file"
    )
    parser.add_argument("--bucket", choices=("day", "week", "month"), default="day")
    parser.add_argument(
        "--horizon", type=int, help="buckets per window (default: 28 days, 5 weeks, 2 months)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    if args.warehouse:
        with connect(args.warehouse, read_only=True) as con:
            demand = query(con, DEMAND_SQL)
    else:
        demand = online_retail_demand(BY_DAY)
    prepared = time.perf_counter()
    cfg = Settings().forecasting
    # The whole year, every SKU: the reference keeps SKUs by history length, not by recency.
    series = bucket_series(demand, args.bucket, history_days=100_000, min_active_days=100_000)
    nightly = Settings().forecasting.candidate_models
    candidates = list(nightly if args.models == "nightly" else CANDIDATES)
    reference = ForecastingSettings(
        candidate_models=tuple(candidates),
        bucket=args.bucket,
        horizon=args.horizon or DEFAULT_HORIZON[args.bucket],
        backtest_windows=DEFAULT_WINDOWS.get(args.bucket, cfg.backtest_windows),
        backtest_min_train_days=56,
        trading_weekdays=(1, 2, 3, 4, 5, 7),  # a season of 6 trading days
        combine_top=cfg.combine_top,
    )
    evaluation = evaluate_models(series, reference, plan=bucket_plan(reference, args.bucket))
    finished = time.perf_counter()
    summary = evaluation.accuracy_summary
    with pl.Config(
        tbl_rows=200, tbl_cols=20, tbl_width_chars=200, float_precision=3, fmt_str_lengths=60
    ):
        print(summary.filter(pl.col("demand_pattern") == "all").drop("demand_pattern"))
        print(summary.filter(pl.col("demand_pattern") != "all").sort("demand_pattern", "wape"))
        print(class_table(summary))
    daily = args.bucket == "day"
    verdicts = class_verdicts(
        summary,
        evaluation.backtest,
        evaluation.model_choice,
        series,
        planning="7-day sums" if daily else f"{args.bucket}s",
        step="daily" if daily else "",
    )
    print("\n".join(verdicts))
    inside = sum(engine.STATSFORECAST_SECONDS.values())
    backtest = finished - prepared
    print(
        f"demand mart: {prepared - started:.1f} s; backtest of {summary['skus'].max()} SKUs x "
        f"{len(candidates)} models x {reference.backtest_windows} windows: {backtest:.1f} s, of which statsforecast "
        f"{inside:.1f} s ({inside / backtest:.0%}); total {finished - started:.1f} s"
    )


if __name__ == "__main__":
    main()
