"""The demand page's date-range bar, its sales totals and the history-and-forecast chart.

The history (demand units, net sales, orders and the daily demand line) follows the range;
the forecast is the future, so it does not: the chart keeps every forecast day to the right
of the chosen days, and the bar's caption says so. The backtest's accuracy figures are of
its holdout window and do not follow either.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import plotly.graph_objects as go
import polars as pl

from reports.metric_values import metric_values
from reports.pages.demand.queries import EXPLORER_HISTORY_DAYS
from reports.site.figure_style import BLUE, GREY, style
from reports.site.filters import filter_bar
from reports.site.format import fmt_date, fmt_int, fmt_money
from reports.site.layout import chart, kpi_tiles
from reports.site.range_followers import followers_script, own_range
from reports.site.widgets import change_text
from warehouse.frames import query, read_row

# The tiles that follow the range, each a metric of reports/metric_catalogue.py.
HISTORY_KPIS = ("demand_units", "net_sales", "orders")
DEFAULT_RANGE = "90"
NO_HISTORY = "No demand history yet: marts.sku_demand_daily is empty."


def demand_days(con: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None, date | None]:
    """The newest demand day and the forecast's first and last days (None when absent)."""
    return read_row(
        con,
        "select (select max(day) from marts.sku_demand_daily),"
        " (select min(day) from forecasts.demand_forecast),"
        " (select max(day) from forecasts.demand_forecast)",
    )


def daily_totals(con: duckdb.DuckDBPyConnection) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Demand units per day over all SKUs (null on days the shop was closed), and the
    forecast per day summed over the forecast SKUs."""
    history = query(
        con,
        "select day, if(bool_or(is_trading_day), sum(demand_units), null)::double as units"
        " from marts.sku_demand_daily group by day order by day",
    )
    forecast = query(
        con,
        "select day, sum(forecast) as forecast, count(distinct sku)::bigint as skus"
        " from forecasts.demand_forecast group by day order by day",
    )
    return history, forecast


def history_figure(history: pl.DataFrame, forecast: pl.DataFrame) -> go.Figure | None:
    """Daily demand units of every SKU, then the forecast's daily sum."""
    if history.is_empty():
        return None
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=history["day"].to_list(),
            y=history["units"].to_list(),
            name="Demand units (closed days left out)",
            mode="lines",
            connectgaps=True,
            line={"color": GREY, "width": 1.5},
        )
    )
    if not forecast.is_empty():
        skus = forecast["skus"].max()
        figure.add_trace(
            go.Scatter(
                x=forecast["day"].to_list(),
                y=forecast["forecast"].to_list(),
                name=f"Forecast ({skus:,} SKUs)",
                mode="lines",
                line={"color": BLUE, "width": 2.5},
            )
        )
    figure.update_yaxes(title_text="Units per day", rangemode="tozero")
    figure.update_xaxes(title_text="Day")
    return style(figure, "Demand per day, all SKUs: history and forecast", height=340)


def _tiles(con: duckdb.DuckDBPyConnection, last_day: date) -> str:
    """The tiles over the bar's default range, each against the days just before it."""
    days = timedelta(days=int(DEFAULT_RANGE))
    first = last_day - days + timedelta(days=1)
    now = metric_values(con, HISTORY_KPIS, first, last_day)
    before = metric_values(con, HISTORY_KPIS, first - days, first - timedelta(days=1))
    tiles = (
        ("demand_units", "Demand units", fmt_int, "all SKUs, net of returns"),
        ("net_sales", "Net sales", fmt_money, "as on the Sales page"),
        ("orders", "Orders", fmt_int, "placed, with a positive line"),
    )
    return kpi_tiles(
        [
            (key, label, formatter(now[key]), hint, change_text(now[key], before[key]))
            for key, label, formatter, hint in tiles
        ]
    )


def history_section(con: duckdb.DuckDBPyConnection) -> tuple[str, date | None]:
    """The bar, the tiles and the chart, and the forecast's last day (for the explorer)."""
    last_day, forecast_start, forecast_end = demand_days(con)
    if last_day is None:
        return chart(None, "chart-demand-history", NO_HISTORY), forecast_end
    future = (
        f"The forecast ({fmt_date(forecast_start)} to {fmt_date(forecast_end)})"
        " is the future: it does not follow the range, and the charts keep all of it right of"
        " the chosen days."
        if forecast_end
        else "There is no forecast yet."
    )
    note = (
        f"{future} The backtest's figures below are of its holdout window, and the explorer"
        f" holds each SKU's last {EXPLORER_HISTORY_DAYS} days."
    )
    bar = filter_bar(con, HISTORY_KPIS, last_day, DEFAULT_RANGE, note=note)
    figure = history_figure(*daily_totals(con))
    if figure is not None:
        # Drawn on the bar's default range (range_followers.js would otherwise redraw it).
        first = last_day - timedelta(days=int(DEFAULT_RANGE) - 1)
        end = max(last_day, forecast_end or last_day)
        figure.update_xaxes(
            range=[f"{first} 00:00", f"{end} 23:59"], ticklabeloverflow="hide past domain"
        )
    drawn = own_range("future", chart(figure, "chart-demand-history", NO_HISTORY), forecast_end)
    html = f"""{bar}
{_tiles(con, last_day)}
{drawn}
{followers_script()}"""
    return html, forecast_end
