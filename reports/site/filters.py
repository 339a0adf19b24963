"""The date-range and segment bar of a page with time series (reports/site/static/
metric_filters.js does the work in the browser, over the daily sums of
`reports.site.daily_data`; no server, no network)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta

import duckdb

from reports.metric_catalogue import CATALOGUE, SEGMENT_LABELS, browser_spec
from reports.site.chart_embed import script_safe
from reports.site.daily_data import daily_datasets, dataset_key
from reports.site.format import esc
from reports.site.spark_rule import browser_rule
from reports.site.static_files import static_text
from reports.site.trading_calendar import closed_days

FILTER_SCRIPT = "metric_filters.js"  # in reports/site/static/
SPARK_SCRIPT = "sparklines.js"  # its tiles' sparklines
# Preset value -> label; "custom" enables the two date boxes.
RANGES = (
    ("7", "Last 7 days"),
    ("28", "Last 28 days"),
    ("90", "Last 90 days"),
    ("mtd", "Month to date"),
    ("all", "All days"),
    ("custom", "Custom"),
)


@dataclass(frozen=True)
class Trace:
    """One trace of a chart the bar redraws: the catalogue metric it plots, over a trailing
    window of `rolling` days (0: the day or week alone), and whether closed days are gaps."""

    metric: str
    rolling: int = 0
    gaps: bool = False


@dataclass(frozen=True)
class FollowingChart:
    """A chart the bar redraws for the chosen segments: its div id, its time bucket ('day' or
    'week', Monday-start) and its traces in the figure's order."""

    div_id: str
    bucket: str
    traces: tuple[Trace, ...]


def gapped_metrics(charts: Sequence[FollowingChart]) -> set[str]:
    """The metrics a chart draws with closed days as gaps: a tile of one leaves them as gaps
    in its sparkline too."""
    return {trace.metric for chart in charts for trace in chart.traces if trace.gaps}


def period_caption(last_day: date, default_range: str) -> str:
    """The bar's caption for a preset, as its script writes it (metric_filters.js showPeriod):
    'first to last vs first to last' of the days shown and the days before, so the published
    page names its period before (or without) the script."""
    if default_range == "all":
        return "every day of the data"
    if default_range == "mtd":
        first = last_day.replace(day=1)
    else:
        first = last_day - timedelta(days=int(default_range) - 1)
    before = first - timedelta(days=(last_day - first).days + 1)
    day = timedelta(days=1)
    return f"{first} to {last_day} vs {before} to {first - day}"


def _segment_boxes(datasets: dict) -> str:
    values: dict[str, set[str]] = {}
    for dataset in datasets.values():
        for name in dataset["dims"]:
            values.setdefault(name, set()).update(dataset["values"][name])
    return "".join(
        f'<label>{esc(SEGMENT_LABELS[name])} <select data-segment="{esc(name)}"'
        f' aria-label="{esc(SEGMENT_LABELS[name])}"><option value="">All</option>'
        + "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in sorted(values[name]))
        + "</select></label>"
        for name in SEGMENT_LABELS
        if name in values
    )


def filter_bar(
    con: duckdb.DuckDBPyConnection,
    tiles: Sequence[str],
    last_day: date | None,
    default_range: str,
    note: str = "",
    charts: Sequence[FollowingChart] = (),
) -> str:
    """The range and segment bar, the page's daily cube and the script that applies them.

    Args:
        con: open connection to the warehouse.
        tiles: the page's KPI tile keys that follow the filters; each is a metric of
            `reports.metric_catalogue.CATALOGUE`.
        last_day: the newest day of the page's data: the presets end on it. None (no data)
            leaves the page without a bar.
        default_range: the preset the page was written with, e.g. '28' or 'all'.
        note: what on the page does not follow the bar, in words (shown under it).
        charts: the charts redrawn for the chosen segments (their metrics are embedded too).

    Returns:
        The HTML fragment, or '' when there is no data.
    """
    if last_day is None:
        return ""
    names = dict.fromkeys([*tiles, *(t.metric for c in charts for t in c.traces)])
    metrics = [CATALOGUE[key] for key in names]
    datasets = daily_datasets(con, metrics)
    segments = sorted({name for d in datasets.values() for name in d["dims"]})
    config = {
        "metrics": {m.name: browser_spec(m, dataset_key(m)) for m in metrics},
        "datasets": datasets,
        "labels": {name: SEGMENT_LABELS[name].lower() for name in SEGMENT_LABELS},
        "charts": [
            {"id": c.div_id, "bucket": c.bucket, "traces": [asdict(t) for t in c.traces]}
            for c in charts
        ],
        # The tiles' sparkline rule (reports/site/spark_rule.py) for sparklines.js.
        "spark": browser_rule(gapped_metrics(charts) & set(tiles)),
        # Only a daily line or a sparkline that leaves closed days as gaps needs them.
        "closed": [day.isoformat() for day in closed_days(con)] if gapped_metrics(charts) else [],
    }
    ranges = "".join(
        f'<option value="{value}"{" selected" if value == default_range else ""}>{label}</option>'
        for value, label in RANGES
    )
    split_by = ", ".join(SEGMENT_LABELS[name].lower() for name in segments)
    if segments:
        segment_box = _segment_boxes(datasets)
        redrawn = (
            "the charts marked as following them are redrawn for the segments; " if charts else ""
        )
        follows = (
            "Tiles follow the range (against the days just before it) and every segment chosen"
            f" where their data is split by it ({esc(split_by)}); {redrawn}charts show the range"
            " on their time axis."
        )
    else:
        # The page's marts carry no segment: the box stays, disabled, to say so where the
        # reader looks for it (the script reads its one empty value as "no segment").
        segment_box = (
            '<label>Segment <select data-segment="" aria-label="Segment" disabled>'
            '<option value="">None: this data is not split</option></select></label>'
        )
        follows = (
            "Tiles follow the range (against the days just before it); charts show the range on"
            " their time axis. This page's data is not split by device, source, country or"
            " visitor type, so it offers no segment."
        )
    return f"""<form class="metric-filters" data-metric-filters data-last="{last_day.isoformat()}"
data-default="{esc(default_range)}">
<label>Range <select data-range aria-label="Date range">{ranges}</select></label>
<label>From <input type="date" data-from aria-label="First day"></label>
<label>To <input type="date" data-to aria-label="Last day"></label>
{segment_box}
<span class="caption" data-period>{esc(period_caption(last_day, default_range))}</span>
<p class="caption">{follows}{" " + esc(note) if note else ""}</p>
</form>
<script type="application/json" id="metric-filters-data">{script_safe(_json(config))}</script>
<script>
{static_text(SPARK_SCRIPT)}{static_text(FILTER_SCRIPT)}</script>"""


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
