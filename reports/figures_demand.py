"""Demand-page figures: holdout accuracy by class, and the forecast explorer's data and script.

The explorer draws in the browser: the page embeds one JSON object per SKU (history,
forecast and bands as compact arrays) and ``EXPLORER_JS`` turns the chosen SKU into plotly
traces, so picking another SKU needs no server and no page reload.
"""

from __future__ import annotations

import json
import math

import plotly.graph_objects as go
import polars as pl

from reports.chart_embed import script_safe
from reports.figures import BLUE, GREY, ORANGE, style

SELECTED = "selected"
SEASONAL_NAIVE = "SeasonalNaive"


def accuracy_by_class(summary: pl.DataFrame) -> go.Figure | None:
    """WAPE and WAPE on 7-day sums of `selected`, the best single model and seasonal naive."""
    if summary.is_empty():
        return None
    singles = summary.filter(~pl.col("model").is_in([SELECTED, SEASONAL_NAIVE]))
    best = (
        singles.sort("wape", nulls_last=True)
        .group_by("demand_pattern", maintain_order=True)
        .first()
    )
    classes = summary["demand_pattern"].unique(maintain_order=True).to_list()
    figure = go.Figure()
    rows = (
        ("Selected (class mean of best models)", summary.filter(pl.col("model") == SELECTED), BLUE),
        ("Best single model", best, ORANGE),
        ("Seasonal naive", summary.filter(pl.col("model") == SEASONAL_NAIVE), GREY),
    )
    for name, frame, colour in rows:
        values = dict(frame.select("demand_pattern", "wape_7d").iter_rows())
        figure.add_trace(
            go.Bar(
                x=classes,
                y=[values.get(c) for c in classes],
                name=name,
                marker_color=colour,
                hovertemplate="%{x}: %{y:.3f}<extra>" + name + "</extra>",
            )
        )
    figure.update_layout(barmode="group")
    figure.update_yaxes(title_text="WAPE on 7-day sums (lower is better)", rangemode="tozero")
    figure.update_xaxes(title_text="Demand pattern")
    return style(figure, "Holdout error by demand pattern", height=340)


def _rounded(values: list) -> list:
    return [
        None if v is None or (isinstance(v, float) and math.isnan(v)) else round(v, 2)
        for v in values
    ]


def explorer_data(skus: pl.DataFrame, history: pl.DataFrame, forecast: pl.DataFrame) -> list[dict]:
    """One compact record per SKU for the explorer script.

    Args:
        skus: sku, model, demand_pattern, holdout_wape, holdout_wape_7d (explorer order).
        history: sku, day, demand_units, is_trading_day, is_stockout.
        forecast: sku, day, forecast, lo_80, hi_80, lo_95, hi_95.

    Returns:
        One record per SKU in the order of ``skus`` (a list: JavaScript would reorder the
        keys of an object whose SKU codes look like numbers): {sku, start: first history
        day, units: per calendar day (null on closed days), stockout: day offsets, days:
        forecast days, mean, lo80, hi80, lo95, hi95, model, pattern, wape, wape7}.
    """
    data = []
    for row in skus.iter_rows(named=True):
        sku = row["sku"]
        past = history.filter(pl.col("sku") == sku)
        future = forecast.filter(pl.col("sku") == sku)
        start = past["day"].min()
        units = [
            units if trading else None
            for units, trading in zip(
                past["demand_units"].to_list(), past["is_trading_day"].to_list(), strict=True
            )
        ]
        stockouts = [
            (day - start).days
            for day, out in zip(past["day"], past["is_stockout"].fill_null(False), strict=True)
            if out
        ]
        data.append(
            {
                "sku": sku,
                "start": start.isoformat() if start else None,
                "units": units,
                "stockout": stockouts,
                "days": [d.isoformat() for d in future["day"]],
                **{
                    key: _rounded(future[column].to_list())
                    for key, column in (
                        ("mean", "forecast"),
                        ("lo80", "lo_80"),
                        ("hi80", "hi_80"),
                        ("lo95", "lo_95"),
                        ("hi95", "hi_95"),
                    )
                },
                "model": row["model"],
                "pattern": row["demand_pattern"],
                "wape": row["holdout_wape"],
                "wape7": row["holdout_wape_7d"],
            }
        )
    return data


def explorer_json(data: list[dict]) -> str:
    """The explorer data as JSON safe inside a <script> element."""
    return script_safe(json.dumps(data, separators=(",", ":")))


# Runs on DOMContentLoaded: the page loads plotly.js with `defer` (reports/chart_embed.py).
EXPLORER_JS = """
document.addEventListener("DOMContentLoaded", function () {
  var records = JSON.parse(document.getElementById("explorer-data").textContent);
  var data = {};
  records.forEach(function (r) { data[r.sku] = r; });
  var input = document.getElementById("sku-search");
  var info = document.getElementById("sku-accuracy");
  var chartId = "chart-explorer";
  function dayAfter(start, offset) {
    var d = new Date(start + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + offset);
    return d.toISOString().slice(0, 10);
  }
  function fmt(v) { return v === null || v === undefined ? "–" : v.toFixed(3); }
  function band(r, level, opacity) {
    return {x: r.days.concat(r.days.slice().reverse()),
            y: r["hi" + level].concat(r["lo" + level].slice().reverse()),
            fill: "toself", fillcolor: "rgba(47,111,222," + opacity + ")", line: {width: 0},
            mode: "lines", name: level + " % interval", hoverinfo: "skip"};
  }
  function show(sku) {
    var r = data[sku];
    if (!r) { info.textContent = "No forecast for " + sku + " among the explorer's SKUs."; return; }
    var histDays = r.units.map(function (_, i) { return dayAfter(r.start, i); });
    var traces = [band(r, 95, 0.15), band(r, 80, 0.3),
      {x: histDays, y: r.units, name: "Units (demand)", mode: "lines+markers", connectgaps: true,
       line: {color: "#3e4c59", width: 1.5}, marker: {size: 4}},
      {x: r.stockout.map(function (i) { return histDays[i]; }),
       y: r.stockout.map(function (i) { return r.units[i]; }), name: "Stockout", mode: "markers",
       marker: {color: "#d64545", symbol: "x", size: 9}},
      {x: r.days, y: r.mean, name: "Forecast", mode: "lines", line: {color: "#2f6fde", width: 2.5}}];
    var layout = {title: {text: sku + " · " + r.pattern + " · " + r.model, x: 0.01, font: {size: 15}},
      template: JSON.parse(document.getElementById("plotly-template").textContent),
      height: 380, hovermode: "x unified",
      font: {family: "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", size: 12},
      margin: {l: 56, r: 24, t: 48, b: 40},
      legend: {orientation: "h", yref: "container", y: 0, yanchor: "bottom", x: 0, xanchor: "left"},
      xaxis: {title: {text: "Day"}}, yaxis: {title: {text: "Units per day"}, rangemode: "tozero"}};
    Plotly.react(chartId, traces, layout, {displaylogo: false, responsive: true});
    document.getElementById(chartId).setAttribute("data-sku", sku);
    info.textContent = sku + ": holdout WAPE " + fmt(r.wape) + ", WAPE on 7-day sums " + fmt(r.wape7) +
      " (model " + r.model + ", " + r.pattern + " demand)";
  }
  input.addEventListener("change", function () { show(input.value.trim()); });
  var wanted = decodeURIComponent((location.hash.match(/sku=([^&]+)/) || [])[1] || "");
  input.value = wanted && data[wanted] ? wanted : records[0].sku;
  input.dispatchEvent(new Event("change"));
});
"""
