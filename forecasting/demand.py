"""Demand series for the models, demand-pattern classes and ABC revenue classes.

The input is ``marts.sku_demand_daily`` (one row per SKU per calendar day, zero-filled).
Its ``demand_units`` are the units sold without stock adjustments and without the sales a
cancellation reversed within 24 hours (an order keyed by mistake is not demand); returns
later than that do not lower the demand of the day they are booked. Four decisions shape
the series the models see:

- Only trading days are demand days. A day the shop did not trade (the Online Retail shop
  never traded on Saturdays) is not a zero-demand day; counting it as zero would drag
  every forecast down and invent intermittency.
- Stockout days are excluded, not imputed. A day that ended with nothing on hand is a
  censored observation (demand was at least the units sold, maybe more); dropping it is
  what the intermittent models assume anyway, and it invents no demand. The cost: a
  dropped day shifts a weekly model's phase by one step, negligible while stockouts are rare.
- A partial day (the export was cut mid-day, ``is_partial_day``) is left out like a
  stockout day: half a day's sales would read as a slump.
"""

from __future__ import annotations

import polars as pl

from forecasting.series_order import in_series_order, rows_per_series
from forecasting.stable_sums import stable_mean, stable_std, stable_sum

# Syntetos, Boylan & Croston (2005) cut-offs between the four demand patterns.
ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49
# Cumulative revenue shares closing the A and B classes.
ABC_CUTOFFS = (0.80, 0.95)

SKU_DEMAND_COLUMNS = (
    "sku",
    "day",
    "is_trading_day",
    "is_partial_day",
    "demand_units",
    "is_stockout",
)


def demand_series(
    sku_demand_daily: pl.DataFrame,
    history_days: int,
    min_active_days: int,
) -> pl.DataFrame:
    """Build the statsforecast long frame from the daily SKU demand mart.

    Args:
        sku_demand_daily: ``marts.sku_demand_daily`` rows; needs sku, day (Date),
            is_trading_day, is_partial_day, demand_units and is_stockout (NULL counts as
            in stock).
        history_days: calendar days of history kept, ending at the last day in the frame.
        min_active_days: a SKU without a sale (units > 0) in this many calendar days before
            the last day is dropped: it is not forecast at all.

    Returns:
        One row per SKU per complete trading, non-stockout day: ``unique_id`` (the SKU), ``ds``
        (Date), ``y`` (Float64 units, >= 0), sorted by unique_id, ds.
    """
    missing = [c for c in SKU_DEMAND_COLUMNS if c not in sku_demand_daily.columns]
    if missing:
        raise ValueError(
            f"sku_demand_daily is missing column(s) {missing}; "
            "pass the marts.sku_demand_daily table (see the table contract in docs)"
        )
    if sku_demand_daily.is_empty():
        return pl.DataFrame(schema={"unique_id": pl.String, "ds": pl.Date, "y": pl.Float64})
    last_day = sku_demand_daily["day"].max()
    recent = pl.col("day") > pl.lit(last_day) - pl.duration(days=min_active_days)
    active_skus = sku_demand_daily.filter(recent & (pl.col("demand_units") > 0))["sku"].unique()
    # Filters keep the rows' order: a mart read in sku, day order needs no sort here.
    series = sku_demand_daily.filter(
        pl.col("sku").is_in(active_skus.implode())
        & (pl.col("day") > pl.lit(last_day) - pl.duration(days=history_days))
        & pl.col("is_trading_day")
        & ~pl.col("is_stockout").fill_null(False)
        & ~pl.col("is_partial_day")
    ).select(
        pl.col("sku").cast(pl.String).alias("unique_id"),
        pl.col("day").alias("ds"),
        pl.col("demand_units").clip(lower_bound=0).cast(pl.Float64).alias("y"),
    )
    return in_series_order(series)


def classify_demand(series: pl.DataFrame) -> pl.DataFrame:
    """Classify each series as smooth, erratic, intermittent or lumpy (Syntetos-Boylan).

    ADI is the average inter-demand interval: periods / periods with demand (> 0).
    CV² is the squared coefficient of variation of the non-zero demand sizes
    (population standard deviation; 0 for a single demand). A series with no demand at
    all has an infinite ADI and CV² 0, so it is intermittent.

    Args:
        series: long frame with unique_id, ds, y (as from :func:`demand_series`).

    Returns:
        One row per SKU: sku, periods, demand_periods, adi, cv2, demand_pattern
        (smooth: ADI < 1.32 and CV² < 0.49; erratic: ADI < 1.32, CV² >= 0.49;
        intermittent: ADI >= 1.32, CV² < 0.49; lumpy: both at or above).
    """
    # The demand days alone carry the sizes; the days of every series only their count.
    sizes = (
        series.filter(pl.col("y") > 0)
        .group_by("unique_id")
        .agg(
            pl.len().alias("demand_periods"),
            (stable_std("y", ddof=0) / stable_mean("y")).pow(2).alias("cv2"),
        )
    )
    stats = rows_per_series(series["unique_id"]).join(sizes, on="unique_id", how="left")
    return (
        stats.with_columns(
            pl.col("demand_periods").fill_null(0),
            (pl.col("rows") / pl.col("demand_periods").fill_null(0)).alias("adi"),
            pl.col("cv2").fill_null(0.0).fill_nan(0.0),
        )
        .with_columns(
            pl.when(pl.col("adi") < ADI_CUTOFF)
            .then(
                pl.when(pl.col("cv2") < CV2_CUTOFF)
                .then(pl.lit("smooth"))
                .otherwise(pl.lit("erratic"))
            )
            .otherwise(
                pl.when(pl.col("cv2") < CV2_CUTOFF)
                .then(pl.lit("intermittent"))
                .otherwise(pl.lit("lumpy"))
            )
            .alias("demand_pattern")
        )
        .select(
            pl.col("unique_id").alias("sku"),
            pl.col("rows").cast(pl.Int64).alias("periods"),
            pl.col("demand_periods").cast(pl.Int64),
            "adi",
            "cv2",
            "demand_pattern",
        )
        .sort("sku")
    )


def abc_classes(revenue: pl.DataFrame) -> pl.DataFrame:
    """Pareto ABC classes on revenue: A = top 80 % of revenue, B = next 15 %, C = the rest.

    SKUs are ranked by revenue (ties by sku). A SKU is A while the revenue ranked above
    it is under 80 % of the total, so the SKU that crosses the 80 % line is still A and
    the best seller is always A; likewise B up to 95 %. SKUs with zero or negative revenue
    are C and do not count in the total.

    Args:
        revenue: one row per SKU with sku and revenue (e.g. summed from sku_demand_daily).

    Returns:
        sku, revenue, revenue_share, cumulative_share (including the SKU), abc_class.
    """
    positive = pl.col("revenue").clip(lower_bound=0)
    ranked = (
        revenue.group_by("sku")
        .agg(stable_sum("revenue"))
        .sort(["revenue", "sku"], descending=[True, False])
        .with_columns((positive / positive.sum()).fill_nan(0.0).alias("revenue_share"))
        .with_columns(pl.col("revenue_share").cum_sum().alias("cumulative_share"))
    )
    # Rounded so that float sums landing a hair off 0.80 or 0.95 do not flip a class.
    share_above = (pl.col("cumulative_share") - pl.col("revenue_share")).round(9)
    a_cut, b_cut = ABC_CUTOFFS
    return ranked.with_columns(
        pl.when(pl.col("revenue") <= 0)
        .then(pl.lit("C"))
        .when(share_above < a_cut)
        .then(pl.lit("A"))
        .when(share_above < b_cut)
        .then(pl.lit("B"))
        .otherwise(pl.lit("C"))
        .alias("abc_class")
    )
