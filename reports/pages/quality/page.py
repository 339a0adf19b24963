"""The Data quality page: check state, export freshness, row reconciliation and the
quarantine (counts by kind, column and reason, with an example value and its file:line)."""

from __future__ import annotations

from datetime import datetime

import duckdb
import polars as pl

from contract.exports import KINDS
from reports.pages.quality import figures, queries, range_section
from reports.site import layout
from reports.site.feeds import missing_feed_notes
from reports.site.format import coverage_text, fmt_date, fmt_int, fmt_text
from reports.site.layout import chart, kpi_tiles, table

NO_LOADS = "No loads recorded in quality.load_log."
CHECK_COLUMNS: tuple[layout.Column, ...] = (
    ("state", "State", fmt_text, "txt"),
    ("asset", "Asset", fmt_text, "txt"),
    ("check_name", "Check", fmt_text, "txt"),
    ("severity", "Severity", fmt_text, "txt"),
    ("description", "Result", fmt_text, "wide"),
    ("checked_at", "Checked at (UTC)", lambda v: fmt_text(v)[:16], "num"),
)
FRESHNESS_COLUMNS: tuple[layout.Column, ...] = (
    ("kind", "Export kind", fmt_text, "txt"),
    ("files", "Files", fmt_int, "num"),
    ("first_day", "First export day", fmt_date, "num"),
    ("last_day", "Newest export day", fmt_date, "num"),
    ("days_behind_newest", "Days behind the newest export", fmt_int, "num"),
    ("days_before_run", "Days before the run date", fmt_int, "num"),
)
RECONCILIATION_COLUMNS: tuple[layout.Column, ...] = (
    ("kind", "Export kind", fmt_text, "txt"),
    ("files", "Files", fmt_int, "num"),
    ("rows_read", "Rows read", fmt_int, "num"),
    ("rows_loaded", "Rows loaded", fmt_int, "num"),
    ("rows_quarantined", "Rows quarantined", fmt_int, "num"),
    ("unaccounted", "Read − loaded − quarantined", fmt_int, "num"),
    ("files_unreconciled", "Files not reconciling", fmt_int, "num"),
)
QUARANTINE_COLUMNS: tuple[layout.Column, ...] = (
    ("kind", "Export kind", fmt_text, "txt"),
    ("column_name", "Column", fmt_text, "txt"),
    ("reason", "Reason", fmt_text, "wide"),
    ("rows", "Rows", fmt_int, "num"),
    ("example_value", "Example raw value", fmt_text, "mid"),
    ("example_at", "Example at file:line", fmt_text, "mid"),
)


def _tiles(states: pl.DataFrame) -> str:
    """The state of each check now (its newest evaluation), whatever the range."""
    counts = queries.check_counts(states)
    return kpi_tiles(
        [
            (
                "checks_failed",
                "Checks failed",
                fmt_int(counts["failed"]),
                "blocking (ERROR) checks",
            ),
            (
                "checks_warning",
                "Checks warning",
                fmt_int(counts["warning"]),
                "WARN checks, block nothing",
            ),
            (
                "checks_passed",
                "Checks passed",
                fmt_int(counts["passed"]),
                "newest evaluation of each",
            ),
        ]
    )


def _quarantine_section(con: duckdb.DuckDBPyConnection) -> str:
    """The largest quarantine groups, each with an example, and how to see every row."""
    groups = queries.quarantine_groups(con)
    return f"""<h2>Quarantine by reason</h2>
{
        table(
            groups,
            QUARANTINE_COLUMNS,
            "No rows quarantined.",
            f"the {groups.height} largest groups of kind, column and reason"
            if groups.height == queries.QUARANTINE_GROUPS
            else None,
        )
    }
<p class="meta">Example values of personal-data columns are hidden; e-mail addresses, phone
numbers and IP addresses are masked anywhere in a value or reason. All quarantined rows:
<code>select * from quality.quarantine</code>.</p>"""


def data_quality(con: duckdb.DuckDBPyConnection, site_title: str, generated_at: datetime) -> str:
    """Data quality page: checks, freshness, reconciliation, quarantine.

    Args:
        con: open connection to the warehouse.
        site_title: name shown in the nav bar.
        generated_at: publication time; its date is the run date freshness is measured to.

    Returns:
        The page HTML.
    """
    states = queries.check_states(con)
    rows = queries.reconciliation(con)
    fresh = queries.freshness(con, generated_at.date())
    body = f"""{missing_feed_notes(con, KINDS)}
{range_section.range_bar(con)}
{range_section.range_tiles(con)}
{range_section.range_charts(con)}
<p class="meta" data-as-of>Each check's newest evaluation, whatever the range:</p>
{_tiles(states)}
<h2 id="checks">Checks</h2>
{
        table(
            states,
            CHECK_COLUMNS,
            "No check results recorded in quality.check_results yet: run the pipeline.",
            "the newest evaluation of each check; failed first",
        )
    }
<h2>Export freshness</h2>
{table(fresh, FRESHNESS_COLUMNS, NO_LOADS)}
<p class="meta">The export_freshness check compares each kind's newest day with the newest
export of any kind (setting <code>quality.export_max_lag_days</code>); the run date is the day
this site was published. A kind never sent is not judged (see the notes at the top); one
whose files stopped arriving is.</p>
<h2>Row reconciliation</h2>
{table(rows, RECONCILIATION_COLUMNS, NO_LOADS)}
<p class="meta">Every row of every export file is either loaded into <code>raw</code> or kept in
<code>quality.quarantine</code> with its file, line and reason: read = loaded + quarantined.</p>
<div class="grid2">
{chart(figures.load_quality(rows), "chart-quality", NO_LOADS)}
{
        chart(
            figures.quarantine_by_column(queries.quarantine_by_kind(con)),
            "chart-quarantine-columns",
            "No rows quarantined.",
        )
    }
</div>
{_quarantine_section(con)}"""
    coverage = [coverage_text("export days", fresh["first_day"].min(), fresh["last_day"].max())]
    return layout.page(site_title, "quality.html", coverage, generated_at, body)
