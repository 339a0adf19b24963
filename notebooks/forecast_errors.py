# %% [markdown]
# # Forecast error analysis
#
# How wrong are the demand forecasts, for which demand patterns and models, how far ahead,
# and for which SKUs? Reads the **analyst copy** of the warehouse (`<data dir>/analyst.duckdb`,
# republished after each successful run, never `warehouse.duckdb`, so the pipeline can write
# meanwhile): `forecasts.demand_forecast`, `marts.sku_demand_daily` and, when the pipeline
# writes it, `forecasts.demand_backtest`.
#
# The published forecast looks into the future, so it has no actuals yet. This notebook
# therefore measures errors on a **holdout**: it cuts the history some weeks before the last
# day, forecasts those weeks with the pipeline's own code (`forecasting.forecast_demand`,
# same model routing and settings) for the best-selling SKUs, and compares with what sold.
# `make notebooks` sets `ORDERPULSE_ANALYST_DB` to the copy of its `DATA_DIR` (default: the
# demo's `data/analyst.duckdb`); restart the kernel to read a newer run's copy.

# %%
import os
from datetime import timedelta
from pathlib import Path

import duckdb
import plotly.express as px
import polars as pl
from IPython.display import display

from config.settings import ForecastingSettings
from forecasting.buckets import DAY, bucket_plan
from forecasting.demand import classify_demand, demand_series
from forecasting.forecast import forecast_demand
from forecasting.selection import SELECTED, class_choices

analyst_copy = Path(os.environ.get("ORDERPULSE_ANALYST_DB", "../data/analyst.duckdb"))
con = duckdb.connect(str(analyst_copy), read_only=True)
settings = ForecastingSettings()  # the documented defaults; pass your settings file's values here
TOP_SKUS = 150  # the best sellers by units: errors of SKUs that never sell say little

# %% [markdown]
# ## What the published forecast holds

# %%
published = con.sql("""
    select demand_pattern, model, count(distinct sku) as skus, round(sum(forecast), 1) as units_forecast,
           min(day) as first_day, max(day) as last_day
    from forecasts.demand_forecast group by all order by skus desc
""").pl()
published

# %% [markdown]
# ## Backtest table written by the pipeline
#
# When the forecasting assets write `forecasts.demand_backtest` (errors per SKU, model and
# backtest window), its summary by model and demand pattern comes first; the holdout below
# is computed in any case, so the two can be compared.

# %%
tables = {
    row[0]
    for row in con.sql(
        "select table_name from information_schema.tables where table_schema = 'forecasts'"
    ).fetchall()
}
if "demand_backtest" in tables:
    backtest = con.sql("select * from forecasts.demand_backtest").pl()
    keys = [c for c in ("model", "demand_pattern") if c in backtest.columns]
    numeric = [c for c, t in backtest.schema.items() if t.is_numeric() and c not in keys]
    summary = (
        backtest.group_by(keys).agg(pl.len().alias("rows"), *[pl.col(c).mean() for c in numeric])
        if keys
        else backtest.describe()
    )
    display(summary.sort(keys) if keys else summary)
else:
    backtest = None
    print("forecasts.demand_backtest is not in this warehouse: only the holdout below")

# %% [markdown]
# ## Holdout: forecast the last weeks from the history before them
#
# The holdout is 28 days (the default horizon) when the history is at least three times as
# long, else a third of it. Stockout days are not demand (as in the pipeline) and are left
# out of the actuals too.

# %%
demand = con.sql(
    "select sku, day, is_trading_day, is_partial_day, units, demand_units, is_stockout"
    " from marts.sku_demand_daily"
).pl()
last_day = demand["day"].max()
span_days = (last_day - demand["day"].min()).days + 1
horizon = bucket_plan(settings, DAY).horizon
holdout_days = horizon if span_days >= 3 * horizon else max(span_days // 3, 1)
cutoff = last_day - timedelta(days=holdout_days)
best = (
    demand.filter(pl.col("day") <= cutoff)
    .group_by("sku")
    .agg(pl.col("units").sum())
    .sort("units", "sku", descending=[True, False])
    .head(TOP_SKUS)["sku"]
)
history = demand.filter((pl.col("day") <= cutoff) & pl.col("sku").is_in(best.implode()))
series = demand_series(
    history, history_days=settings.history_days, min_active_days=settings.min_active_days
)
classes = classify_demand(series)
# Each class's models, chosen as the pipeline chooses them, on backtest windows that end
# before the cutoff only (none on a short history: then the pool's prior order).
earlier = (
    backtest.filter((pl.col("last_day") <= cutoff) & (pl.col("model") != SELECTED))
    if backtest is not None
    else pl.DataFrame(
        schema={
            "sku": pl.String,
            "model": pl.String,
            "actual": pl.Float64,
            "abs_error_7d": pl.Float64,
        }
    )
)
choices = class_choices(
    earlier.select("sku", "model", "actual", "abs_error_7d"),
    classes,
    settings.candidate_models,
    settings.combine_top,
)
trading_days = demand.filter((pl.col("day") > cutoff) & pl.col("is_trading_day"))["day"].n_unique()
forecast = forecast_demand(
    series, classes, choices, max(trading_days, 1), settings, history_end=cutoff
)
print(
    f"history to {cutoff}, holdout {cutoff + timedelta(days=1)} .. {last_day} "
    f"({trading_days} trading days), {classes.height} SKUs forecast"
)

# %%
actual = demand.filter((pl.col("day") > cutoff) & ~pl.col("is_stockout").fill_null(False)).select(
    "sku", "day", pl.col("units").cast(pl.Float64).alias("actual")
)
# The naive benchmark: each SKU's mean daily units over the 28 days before the cutoff.
naive = (
    history.filter(pl.col("day") > cutoff - timedelta(days=28))
    .group_by("sku")
    .agg(pl.col("units").mean().alias("naive"))
)
errors = (
    forecast.join(actual, on=["sku", "day"], how="inner")
    .join(naive, on="sku", how="left")
    .with_columns(
        error=pl.col("forecast") - pl.col("actual"),
        naive_error=pl.col("naive").fill_null(0) - pl.col("actual"),
        days_ahead=(pl.col("day") - pl.lit(cutoff)).dt.total_days(),
        in_80=pl.col("actual").is_between(pl.col("lo_80"), pl.col("hi_80")),
        in_95=pl.col("actual").is_between(pl.col("lo_95"), pl.col("hi_95")),
    )
)
print(f"{errors.height:,} SKU-days compared")


# %% [markdown]
# ## Errors by demand pattern and model
#
# WAPE = Σ|forecast − actual| / Σ actual; bias = Σ(forecast − actual) / Σ actual (positive:
# over-forecast); skill = 1 − MAE / MAE of the naive mean (above 0: better than naive);
# coverage = share of actuals inside the 80 % and 95 % intervals (well calibrated: about
# 0.80 and 0.95).


# %%
def scores(frame, keys):
    return (
        frame.group_by(keys)
        .agg(
            skus=pl.col("sku").n_unique(),
            actual_units=pl.col("actual").sum(),
            mae=pl.col("error").abs().mean(),
            wape=pl.col("error").abs().sum() / pl.col("actual").sum(),
            bias=pl.col("error").sum() / pl.col("actual").sum(),
            skill=1 - pl.col("error").abs().mean() / pl.col("naive_error").abs().mean(),
            coverage_80=pl.col("in_80").mean(),
            coverage_95=pl.col("in_95").mean(),
        )
        .sort(keys)
    )


scores(errors, ["demand_pattern", "model"]) if not errors.is_empty() else "no SKU-days to compare"

# %%
scores(errors.with_columns(all=pl.lit("all SKUs")), ["all"]) if not errors.is_empty() else None

# %% [markdown]
# ## Error by days ahead: does the forecast get worse further out?

# %%
by_horizon = scores(errors, ["days_ahead"]) if not errors.is_empty() else pl.DataFrame()
if not by_horizon.is_empty():
    display(
        px.line(
            by_horizon.to_pandas(),
            x="days_ahead",
            y=["wape", "bias"],
            markers=True,
            labels={"days_ahead": "Days after the cutoff", "value": "Share of actual units"},
            title="WAPE and bias by days ahead",
        )
    )

# %% [markdown]
# ## The SKUs with the largest absolute error over the holdout

# %%
per_sku = (
    errors.group_by("sku", "demand_pattern", "model")
    .agg(
        forecast_units=pl.col("forecast").sum(),
        actual_units=pl.col("actual").sum(),
        absolute_error=pl.col("error").abs().sum(),
        naive_absolute_error=pl.col("naive_error").abs().sum(),
    )
    .sort("absolute_error", descending=True)
)
per_sku.head(15)

# %%
if not per_sku.is_empty():
    display(
        px.scatter(
            per_sku.to_pandas(),
            x="actual_units",
            y="forecast_units",
            color="demand_pattern",
            hover_data=["sku", "model"],
            log_x=True,
            log_y=True,
            labels={
                "actual_units": "Units sold in the holdout",
                "forecast_units": "Units forecast for the holdout",
            },
            title="Forecast vs actual units per SKU over the holdout (log scales)",
        )
    )

# %%
con.close()
