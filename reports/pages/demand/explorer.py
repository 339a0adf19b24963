"""The demand page's forecast explorer: pick a SKU, see its recent demand and its forecast.

The explorer draws in the browser: the page embeds one JSON object per SKU (history,
forecast and bands as compact arrays) and `explorer.js`, beside this module, turns the
chosen SKU into plotly traces, so picking another SKU needs no server and no page reload.
The script runs on DOMContentLoaded, after the deferred plotly.js bundle
(reports/site/chart_embed.py); it reads the figure template the page carries
(`chart_embed.TEMPLATE_ID`) and draws with the same plotly config as every chart.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import polars as pl

from reports.pages.demand import queries
from reports.pages.demand.buckets import DAY, WORDS
from reports.site.chart_embed import script_safe
from reports.site.format import esc
from reports.site.layout import empty_note

EXPLORER_JS = Path(__file__).with_name("explorer.js")
NO_FORECAST = "No forecast yet: forecasts.demand_forecast is empty."


def _rounded(values: list) -> list:
    return [
        None if v is None or (isinstance(v, float) and math.isnan(v)) else round(v, 2)
        for v in values
    ]


def explorer_data(skus: pl.DataFrame, history: pl.DataFrame, forecast: pl.DataFrame) -> list[dict]:
    """One compact record per SKU for the explorer script.

    Args:
        skus: sku, model, demand_pattern, holdout_wape, holdout_wape_7d (explorer order),
            optionally bucket and bucket_reason (forecasts.sku_bucket).
        history: sku, day, demand_units, is_trading_day, is_stockout.
        forecast: sku, day, forecast, lo_80, hi_80, lo_95, hi_95.

    Returns:
        One record per SKU in the order of ``skus`` (a list: JavaScript would reorder the
        keys of an object whose SKU codes look like numbers): {sku, start: first history
        day, units: per calendar day (null on closed days), stockout: day offsets, days:
        forecast days, mean, lo80, hi80, lo95, hi95, model, pattern, wape, wape7, sums: what
        wape7 sums ("7-day sums", "1-week sums" ...), why: the SKU's bucket in words}.
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
                "sums": WORDS[row.get("bucket") or DAY].sums,
                "why": row.get("bucket_reason"),
            }
        )
    return data


def explorer_json(data: list[dict]) -> str:
    """The explorer data as JSON safe inside a <script> element."""
    return script_safe(json.dumps(data, separators=(",", ":")))


def explorer_section(con: duckdb.DuckDBPyConnection, sku_buckets: pl.DataFrame) -> str:
    """The explorer card, its note and its data and script, or a note when nothing is forecast.

    Args:
        con: open connection to the warehouse.
        sku_buckets: forecasts.sku_bucket (sku, bucket, reason; may be empty).
    """
    skus = queries.explorer_skus(con)
    if skus.is_empty():
        return empty_note(NO_FORECAST)
    skus = skus.join(
        sku_buckets.rename({"reason": "bucket_reason"}), on="sku", how="left", maintain_order="left"
    )
    history, forecast = queries.explorer_series(con, skus["sku"].to_list())
    data = explorer_data(skus, history, forecast)
    options = "".join(f'<option value="{esc(record["sku"])}"></option>' for record in data)
    return f"""<div class="card">
<label for="sku-search">SKU </label><input id="sku-search" list="sku-list" autocomplete="off"
 placeholder="type a SKU and press Enter" style="padding:4px 8px;min-width:220px">
<datalist id="sku-list">{options}</datalist>
<span class="meta" id="sku-accuracy"></span>
<div id="chart-explorer" class="plotly-graph-div" style="height:380px"></div>
</div>
<p class="meta">The {len(data)} forecast SKUs with the most revenue, each with its last
{queries.EXPLORER_HISTORY_DAYS} days of demand (closed days left out, stockout days
marked) and the forecast with its 80 % and 95 % bands. Append <code>#sku=CODE</code> to the
address to open a SKU directly.</p>
<script type="application/json" id="explorer-data">{explorer_json(data)}</script>
<script>
{EXPLORER_JS.read_text(encoding="utf-8")}</script>"""
