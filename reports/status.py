"""The status line on every page: run date, data freshness per export kind, check state.

Rendered once per site by `publish_site` and put into each page's `layout.STATUS_SLOT`,
so pages written by any module carry it without passing it around.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from reports import warehouse_quality
from reports.layout import esc, fmt_date


def check_counts(states: pl.DataFrame) -> dict[str, int]:
    """How many checks passed, warned (failed WARN checks) and failed (blocking ones)."""
    counts = dict(states.group_by("state").len().iter_rows())
    return {state: counts.get(state, 0) for state in ("passed", "warning", "failed")}


def _freshness_items(fresh: pl.DataFrame) -> list[str]:
    items = []
    for row in fresh.iter_rows(named=True):
        behind = row["days_behind_newest"]
        css = "ok" if behind == 0 else "warn"
        lag = "newest" if behind == 0 else f"{behind} d behind the newest export"
        items.append(
            f'<span data-freshness="{esc(row["kind"])}">{esc(row["kind"])} '
            f"<b>{esc(fmt_date(row['last_day']))}</b> "
            f'<span class="{css}">({esc(lag)}; {esc(row["days_before_run"])} d before the run)</span></span>'
        )
    return items


def _checks_item(states: pl.DataFrame) -> str:
    if states.is_empty():
        return '<span data-checks="none">checks: <b>no results recorded</b></span>'
    counts = check_counts(states)
    css = "bad" if counts["failed"] else "warn" if counts["warning"] else "ok"
    text = f"{counts['passed']} passed · {counts['warning']} warning · {counts['failed']} failed"
    return (
        f'<span data-checks="{css}">checks: <a class="{css}" href="quality.html#checks">'
        f"{esc(text)}</a></span>"
    )


def status_line(con: duckdb.DuckDBPyConnection, run_date: date) -> str:
    """The status line HTML.

    Args:
        con: open connection to the warehouse.
        run_date: the day the site is published.

    Returns:
        One `<div class="status">` with the run date, the newest export day of each kind
        (with its lag behind the newest export of any kind and behind the run date) and
        the counts of passed, warning and failed checks linking to the Data quality page.
    """
    fresh = warehouse_quality.freshness(con, run_date)
    items = [
        f"<span data-run-date>run <b>{esc(run_date.isoformat())}</b></span>",
        *(_freshness_items(fresh) or ["<span>no exports loaded yet</span>"]),
        _checks_item(warehouse_quality.check_states(con)),
    ]
    return f'<div class="status" role="status">{"".join(items)}</div>'
