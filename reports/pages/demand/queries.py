"""Demand-page reads: forecast accuracy by class, and the forecast explorer's SKUs.

The explorer embeds its data in the page (the site has no server), so it is limited to the
``EXPLORER_SKUS`` best-selling forecast SKUs and ``EXPLORER_HISTORY_DAYS`` days of history:
about 200 KB of page on the Online Retail demo.
"""

from __future__ import annotations

import duckdb
import polars as pl

from warehouse.frames import query

EXPLORER_SKUS = 100
EXPLORER_HISTORY_DAYS = 120
SELECTED = "selected"
# The naive benchmarks (forecasting/naive_benchmark.py), preferred first.
SEASONAL_NAIVE, NAIVE = "SeasonalNaive", "Naive"


def accuracy_summary(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """forecasts.accuracy_summary: every model per demand-pattern class and `all`, best first.

    Returns:
        model, demand_pattern, skus, wape, wape_7d, mase, bias, wape_vs_seasonal_naive,
        holdout_first_day, holdout_last_day, chosen; `all` first, then the classes by name.
    """
    return query(
        con,
        "select * from forecasts.accuracy_summary"
        " order by demand_pattern <> 'all', demand_pattern, wape nulls last, model",
    )


def explorer_skus(con: duckdb.DuckDBPyConnection, limit: int = EXPLORER_SKUS) -> pl.DataFrame:
    """The forecast SKUs with the most revenue over the demand history, best first.

    Returns:
        sku, revenue, model, demand_pattern, holdout_wape, holdout_wape_7d (the SKU's error
        of `selected` in the backtest holdout; null when it had too little history).
    """
    return query(
        con,
        """
        with forecast as (
            select sku, any_value(model) as model, any_value(demand_pattern) as demand_pattern
            from forecasts.demand_forecast group by sku
        ),
        revenue as (
            select sku, sum(revenue) as revenue from marts.sku_demand_daily group by sku
        ),
        holdout as (
            select sku, abs_error / nullif(actual, 0) as holdout_wape,
                abs_error_7d / nullif(actual, 0) as holdout_wape_7d
            from forecasts.demand_backtest
            where model = $selected
            qualify "window" = max("window") over ()
        )
        select f.sku, coalesce(r.revenue, 0) as revenue, f.model, f.demand_pattern,
            h.holdout_wape, h.holdout_wape_7d
        from forecast as f
        left join revenue as r using (sku)
        left join holdout as h using (sku)
        order by revenue desc, f.sku
        limit $limit
        """,
        {"selected": SELECTED, "limit": limit},
    )


def explorer_series(
    con: duckdb.DuckDBPyConnection, skus: list[str], history_days: int = EXPLORER_HISTORY_DAYS
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Recent demand and the forecast of the explorer's SKUs.

    Args:
        con: open connection to the warehouse.
        skus: the SKUs to read.
        history_days: calendar days of history before the last demand day.

    Returns:
        (history: sku, day, demand_units, is_trading_day, is_stockout;
        forecast: sku, day, forecast, lo_80, hi_80, lo_95, hi_95), ordered by sku and day.
    """
    history = query(
        con,
        "select sku, day, demand_units, is_trading_day, is_stockout from marts.sku_demand_daily"
        " where sku in (select unnest($skus))"
        "   and day > (select max(day) from marts.sku_demand_daily) - $days::integer"
        " order by sku, day",
        {"skus": skus, "days": history_days},
    )
    return history, sku_forecasts(con, skus)


def sku_forecasts(con: duckdb.DuckDBPyConnection, skus: list[str]) -> pl.DataFrame:
    """The forecast rows (mean and 80/95 % bounds per day) of the given SKUs."""
    return query(
        con,
        "select sku, day, forecast, lo_80, hi_80, lo_95, hi_95 from forecasts.demand_forecast"
        " where sku in (select unnest($skus)) order by sku, day",
        {"skus": skus},
    )


def forecast_value(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Each backtested SKU's verdict with its revenue over the demand history.

    Returns:
        sku, demand_pattern, model, revenue, beats_zero, beats_naive, reliable, reason
        (forecasts.sku_reliability), naive_model (the SKU's naive benchmark: SeasonalNaive
        where it forecast every backtest window, else Naive; null without one, as
        forecasting/naive_benchmark.py chooses), best revenue first.
    """
    return query(
        con,
        f"""
        with revenue as (
            select sku, sum(revenue) as revenue from marts.sku_demand_daily group by sku
        ), seasonal as (  -- SeasonalNaive, a required candidate, has every SKU's windows
            select sku, bool_and(reason is null) as scored from forecasts.demand_backtest
            where model = '{SEASONAL_NAIVE}' group by sku
        )
        select r.sku, r.demand_pattern, r.model, greatest(coalesce(v.revenue, 0), 0) as revenue,
            r.beats_zero, r.beats_naive, r.reliable, r.reason,
            case when r.naive_abs_error_7d is null then null
                when coalesce(s.scored, true) then '{SEASONAL_NAIVE}' else '{NAIVE}'
            end as naive_model
        from forecasts.sku_reliability as r
        left join revenue as v using (sku)
        left join seasonal as s using (sku)
        order by revenue desc, r.sku
        """,
    )
