"""The Data quality page's date-range bar, the tiles that follow it and the per-day charts.

A day here is an export day: loads, rows read and quarantined by the day of the export
file, and check evaluations by the newest export day loaded when they ran (the day of data
they judged; reports/derived_marts.py). The state of each check (its newest evaluation)
and the tables by kind and reason keep every day, as the bar's caption says.
"""

from __future__ import annotations

from datetime import timedelta

import duckdb
import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from reports import derived_marts
from reports.metric_values import metric_values
from reports.pages.quality.queries import CHECK_RESULTS
from reports.site.figure_style import BLUE, GREEN, ORANGE, RED, style
from reports.site.filters import filter_bar
from reports.site.format import fmt_int, fmt_pct
from reports.site.layout import chart, kpi_tiles
from reports.site.range_followers import followers_script, own_range
from warehouse.frames import query, read_row, table_exists

# The tiles that follow the range, each a metric of reports/metric_catalogue.py.
LOAD_KPIS = ("rows_read", "rows_quarantined", "quarantine_rate")
CHECK_KPIS = ("check_evaluations", "check_evaluations_failed", "check_evaluations_warned")
DEFAULT_RANGE = "all"
BAR_WIDTH_MS = 0.8 * 86_400_000  # most of a day, on a date axis counted in milliseconds
NOTE = (
    "A day is an export day: a check evaluation counts on the newest export day loaded when"
    " it ran. The check states (newest evaluation of each check), freshness, reconciliation"
    " and quarantine tables below cover every day."
)


def _kpis(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    # A warehouse whose checks never ran has no quality.check_results (reports/inputs.py).
    return LOAD_KPIS + (CHECK_KPIS if table_exists(con, CHECK_RESULTS) else ())


def range_bar(con: duckdb.DuckDBPyConnection) -> str:
    """The bar over the export days; '' when nothing was ever loaded."""
    last_day = read_row(con, "select max(export_date) from quality.load_log")[0]
    bar = filter_bar(con, _kpis(con), last_day, DEFAULT_RANGE, note=NOTE)
    return bar + (followers_script() if bar else "")


def range_tiles(con: duckdb.DuckDBPyConnection) -> str:
    """The tiles over every export day (the bar's default; the browser recomputes them)."""
    names = _kpis(con)
    k = metric_values(con, names)
    hints = {
        "rows_read": ("Rows read", fmt_int, "from the days' export files"),
        "rows_quarantined": ("Rows quarantined", fmt_int, "kept in quality.quarantine"),
        "quarantine_rate": ("Quarantined share", fmt_pct, "rows quarantined / read"),
        "check_evaluations": ("Check evaluations", fmt_int, "every run's, by export day"),
        "check_evaluations_failed": ("Evaluations failed", fmt_int, "blocking (ERROR) checks"),
        "check_evaluations_warned": ("Evaluations warned", fmt_int, "WARN checks"),
    }
    return kpi_tiles(
        [(name, hints[name][0], hints[name][1](k[name]), hints[name][2]) for name in names]
    )


def daily_quality(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Per export day: rows read and quarantined, and check evaluations passed, warned and
    failed (zeros without checks)."""
    checks = (
        f"select day, sum(check_evaluations - checks_failed - checks_warned) as passed,"
        f" sum(checks_warned) as warned, sum(checks_failed) as failed"
        f" from ({derived_marts.CHECK_EVALUATIONS}) group by day"
        if table_exists(con, CHECK_RESULTS)
        else "select null::date as day, 0 as passed, 0 as warned, 0 as failed where false"
    )
    return query(
        con,
        f"""
        with loads as (
            select day, sum(rows_read) as rows_read, sum(rows_quarantined) as rows_quarantined
            from ({derived_marts.EXPORT_LOADS}) group by day
        ),
        checks as ({checks})
        select day, coalesce(rows_read, 0)::bigint as rows_read,
            coalesce(rows_quarantined, 0)::bigint as rows_quarantined,
            coalesce(passed, 0)::bigint as passed, coalesce(warned, 0)::bigint as warned,
            coalesce(failed, 0)::bigint as failed
        from loads full join checks using (day)
        order by day
        """,
    )


def quality_figure(daily: pl.DataFrame) -> go.Figure | None:
    """Rows read and quarantined per export day (top) and check evaluations by outcome
    (bottom)."""
    if daily.is_empty():
        return None
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12)
    # Rows read as one line; quarantined rows and check evaluations as bars on the days
    # above zero only: a year of zero bars for each doubled the page's drawing time. A
    # bar is then given its width (a day's), which plotly would take from its gaps.
    figure.add_trace(
        go.Scatter(x=daily["day"].to_list(), y=daily["rows_read"].to_list(), name="Rows read",
                   mode="lines", line={"color": BLUE, "width": 1.5}),
        row=1, col=1,
    )  # fmt: skip
    bars = (
        (1, "rows_quarantined", "Rows quarantined", RED),
        (2, "failed", "Evaluations failed", RED),
        (2, "warned", "Evaluations warned", ORANGE),
        (2, "passed", "Evaluations passed", GREEN),
    )
    for row, column, label, colour in bars:
        days = daily.filter(pl.col(column) > 0)
        figure.add_trace(
            go.Bar(x=days["day"].to_list(), y=days[column].to_list(), name=label,
                   marker_color=colour, width=BAR_WIDTH_MS),
            row=row, col=1,
        )  # fmt: skip
    # The axis spans the export days, set here: plotly's autorange pads a bar trace by the
    # gap between its days, a year for two check runs (range_followers.js restores it).
    first, last = daily["day"].min(), daily["day"].max()
    figure.update_xaxes(
        range=[f"{first - timedelta(days=1)} 12:00", f"{last} 12:00"], autorange=False
    )
    figure.update_layout(barmode="stack")
    figure.update_yaxes(title_text="Rows", rangemode="tozero", row=1, col=1)
    figure.update_yaxes(title_text="Evaluations", rangemode="tozero", row=2, col=1)
    figure.update_xaxes(title_text="Export day", row=2, col=1)
    return style(
        figure, "Rows read and quarantined, and check evaluations, per export day", height=420
    )


def range_charts(con: duckdb.DuckDBPyConnection) -> str:
    """The per-day chart card, or a note when nothing was loaded."""
    figure = quality_figure(daily_quality(con))
    return own_range("days", chart(figure, "chart-quality-daily", "No loads recorded."))
