"""The demand page: forecast accuracy by demand pattern and a forecast explorer per SKU."""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from reports.pages.demand import buckets as bucket_frames
from reports.pages.demand import figures, queries
from reports.pages.demand.bucket_tiles import mixed_tiles
from reports.pages.demand.buckets import DAY, BucketWords
from reports.pages.demand.explorer import explorer_section
from reports.pages.demand.history import history_section
from reports.pages.demand.value_added import BENCHMARKS, by_class, naive_words, value_shares
from reports.site import layout
from reports.site.coverage import coverage_lines
from reports.site.feeds import missing_feed_notes
from reports.site.format import fmt_date, fmt_int, fmt_number, fmt_pct, fmt_text
from reports.site.layout import chart, kpi_tiles, table
from reports.site.range_followers import own_range

NO_BACKTEST = (
    "No backtest yet: forecasts.accuracy_summary is empty (too little history for a window)."
)


def _ratio(value: object) -> str:
    return fmt_number(value, 3)


def accuracy_columns(words: BucketWords) -> tuple[layout.Column, ...]:
    """The accuracy table's columns, its sums named in the run's bucket."""
    return (
        ("demand_pattern", "Demand pattern", fmt_text, "txt"),
        ("model", "Model", fmt_text, "txt"),
        ("skus", "SKUs", fmt_int, "num"),
        ("wape", "WAPE", _ratio, "num"),
        ("wape_7d", f"WAPE {words.sums}", _ratio, "num"),
        ("mase", "MASE", _ratio, "num"),
        ("bias", "Bias", fmt_pct, "num"),
        ("wape_vs_seasonal_naive", "WAPE / naive benchmark", _ratio, "num"),
        ("wape_7d_vs_seasonal_naive", f"{words.short} WAPE / naive benchmark", _ratio, "num"),
        ("chosen", "Selected combines", fmt_text, "mid"),
        ("coverage_80", "Inside 80 % band", fmt_pct, "num"),
        ("coverage_95", "Inside 95 % band", fmt_pct, "num"),
    )


def value_added_columns(words: BucketWords) -> tuple[layout.Column, ...]:
    """The value-added table's columns, its sums named in the run's bucket."""
    return (
        ("demand_pattern", "Demand pattern", fmt_text, "txt"),
        ("skus", "SKUs", fmt_int, "num"),
        ("selected", f"Selected WAPE {words.short}", _ratio, "num"),
        ("Zero", "Zero forecast", _ratio, "num"),
        ("naive", "Naive benchmark", _ratio, "num"),
        ("naive_benchmark", "Which naive", fmt_text, "mid"),
        ("best_single", "Best single model", fmt_text, "mid"),
        ("best_single_wape_7d", f"Its WAPE {words.short}", _ratio, "num"),
        ("verdict", "Forecast value added", fmt_text, "mid"),
        ("coverage_80", "Inside 80 % band", fmt_pct, "num"),
        ("coverage_95", "Inside 95 % band", fmt_pct, "num"),
    )


UNRELIABLE_COLUMNS: tuple[layout.Column, ...] = (
    ("sku", "SKU", fmt_text, "txt"),
    ("demand_pattern", "Demand pattern", fmt_text, "txt"),
    ("revenue", "Revenue", fmt_number, "num"),
    ("reason", "Why there is no reliable forecast", fmt_text, "txt"),
)
UNRELIABLE_ROWS = 25
NO_VERDICTS = "No SKU has been backtested yet (forecasts.sku_reliability is empty)."
ALL_RELIABLE = "Every backtested SKU has a reliable forecast."

# The feeds this page is built from; a note names each one the shop never sent.
FEEDS = ("orders",)


def _tiles(summary: pl.DataFrame, words: BucketWords, bucket: str) -> str:
    overall = summary.filter(pl.col("demand_pattern") == "all")
    selected = overall.filter(pl.col("model") == queries.SELECTED).to_dicts()
    # The benchmarks (zero, naive) are compared apart, in the value-added tiles and table.
    singles = (
        overall.filter(~pl.col("model").is_in(BENCHMARKS)).sort("wape", nulls_last=True).to_dicts()
    )
    if not selected or not singles:
        return ""
    chosen, best = selected[0], singles[0]
    return kpi_tiles(
        [
            ("selected_wape", "Selected WAPE", _ratio(chosen["wape"]), f"{words.step}, holdout"),
            (
                "selected_wape_7d",
                f"Selected WAPE {words.short}",
                _ratio(chosen["wape_7d"]),
                f"on {words.sums}",
            ),
            (
                "best_single_wape",
                f"Best single: {best['model']}",
                _ratio(best["wape"]),
                f"{words.short} {_ratio(best['wape_7d'])}",
            ),
            (
                "holdout",
                "Holdout",
                f"{fmt_date(chosen['holdout_first_day'])}",
                f"to {fmt_date(bucket_frames.bucket_end(chosen['holdout_last_day'], bucket))}",
            ),
            ("backtest_skus", "SKUs judged", fmt_int(chosen["skus"]), "with enough history"),
        ]
    )


def _value_tiles(verdicts: pl.DataFrame, words: BucketWords) -> str:
    """The page's lead: how much demand, by value, has a forecast worth planning on."""
    if verdicts.is_empty():
        return ""
    shares = value_shares(verdicts)
    return kpi_tiles(
        [
            (
                "value_beats_naive",
                "Demand whose forecast beats naive",
                fmt_pct(shares["beats_naive"]),
                f"share of revenue; {naive_words(verdicts, words.last)}, {words.sums}",
            ),
            (
                "value_beats_zero",
                "Demand whose forecast beats zero",
                fmt_pct(shares["beats_zero"]),
                "share of revenue; forecasting nothing",
            ),
            (
                "unreliable_skus",
                "SKUs without a reliable forecast",
                fmt_int(shares["unreliable"]),
                f"of {fmt_int(verdicts.height)} backtested; reordered by min/max",
            ),
        ]
    )


def _naive_fallback(verdicts: pl.DataFrame, words: BucketWords) -> str:
    """Where a history is shorter than a season, the words for plain Naive taking over."""
    if verdicts.is_empty() or not (verdicts["naive_model"] == queries.NAIVE).any():
        return ""
    return f", or naive ({words.last} repeated) where the history is shorter than a season"


def _cancelling(buckets: list[str], words: BucketWords) -> str:
    """What the WAPE on sums adds to the plain WAPE, in the run's buckets."""
    if buckets == [DAY]:
        return "on 7-day sums the errors of a week may cancel"
    return (
        f"on {words.sums} the errors within a sum may cancel (a week or a month is one step "
        "of its series: there the two are the same)"
    )


def demand(con: duckdb.DuckDBPyConnection, site_title: str, generated_at: datetime) -> str:
    """Demand page: holdout accuracy per model and pattern class, and the forecast explorer.

    Args:
        con: open connection to the warehouse.
        site_title: name shown in the nav bar.
        generated_at: publication time shown on the page.

    Returns:
        The page HTML; empty-state notes when there is no backtest or forecast yet.
    """
    summary = queries.accuracy_summary(con)
    verdicts = queries.forecast_value(con)
    unreliable = verdicts.filter(~pl.col("reliable")).head(UNRELIABLE_ROWS)
    sku_buckets = bucket_frames.sku_buckets(con)
    buckets = bucket_frames.run_buckets(sku_buckets)
    words = bucket_frames.run_words(buckets)
    tiles = (
        mixed_tiles(summary, bucket_frames.holdout_by_bucket(con, buckets), buckets)
        if len(buckets) > 1
        else _tiles(summary, words, buckets[0])
    )
    single_days = (
        " (on single days a zero forecast wins for any SKU that sells on fewer than half its days)"
        if DAY in buckets
        else ""
    )
    history, forecast_end = history_section(con)
    body = f"""{history}
{_value_tiles(verdicts, words)}
<h2>Forecast value added</h2>
<p class="meta">Every class and SKU is scored on the same backtest windows against two
benchmarks: forecasting zero and seasonal naive ({words.naive}){_naive_fallback(verdicts, words)}, on {words.sums}{single_days}.
A SKU whose forecast beats neither is planned by a min/max rule on its own history on the
reorder page. Band coverage: the share of holdout {words.units} inside the 80 % and 95 % bands,
built as the live forecast builds them.</p>
{table(by_class(summary, buckets), value_added_columns(words), NO_BACKTEST)}
<h3>SKUs without a reliable forecast</h3>
{table(unreliable, UNRELIABLE_COLUMNS, NO_VERDICTS if verdicts.is_empty() else ALL_RELIABLE, filters=f"top {UNRELIABLE_ROWS} by revenue")}
{tiles}
<h2>Forecast explorer</h2>
{own_range("future", explorer_section(con, sku_buckets), forecast_end)}
<h2>Accuracy by demand pattern</h2>
{chart(figures.accuracy_by_class(summary, words.sums), "chart-accuracy", NO_BACKTEST)}
<p class="meta">Holdout: the last backtest window, forecast from the history before it.
<em>Selected</em> is the mean or the median of each pattern class's best models (how many,
which, how combined, or zero), chosen on the earlier windows only. WAPE = sum |forecast - actual| / sum actual; {_cancelling(buckets, words)}; bias > 0 over-forecasts; MASE below 1 beats a seasonal naive forecast in-sample.
Definitions: docs/forecasting.md.</p>
{table(summary, accuracy_columns(words), NO_BACKTEST)}"""
    coverage = coverage_lines(
        con, ("demand history", "marts.sku_demand_daily"), ("forecast", "forecasts.demand_forecast")
    )
    return layout.page(
        site_title, "demand.html", coverage, generated_at, missing_feed_notes(con, FEEDS) + body
    )
