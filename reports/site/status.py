"""The status line on every page: run date, data freshness per export kind, check state.

Rendered once per site by `publish_site` and put into each page's `layout.STATUS_SLOT`,
so pages written by any module carry it without passing it around. Its facts are the Data
quality page's (`reports.pages.quality.queries`), summed up in one line.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from reports.pages.quality import queries
from reports.site.format import esc, fmt_date

# The colour of a kind's freshness is the export-freshness check's verdict, never a guess
# from the lag: a kind the check does not judge (the catalog, a snapshot sent when it
# changes) is shown uncoloured.
VERDICT_CSS = {"fresh": "ok", "late": "warn"}


def days_word(days: int, earlier: str, later: str) -> str:
    """'3 d behind', '2 d ahead of': a signed day count in words, never '-2 d behind'.

    Args:
        days: how many days the export is `earlier` than the reference; negative when later
            (an export dated after the run date, from a shop in another time zone).
        earlier: the words for a positive count, e.g. 'behind the newest export'.
        later: the words for a negative count, e.g. 'ahead of the newest export'.
    """
    return f"{days} d {earlier}" if days >= 0 else f"{-days} d {later}"


def _freshness_items(fresh: pl.DataFrame, verdicts: dict[str, str]) -> list[str]:
    items = []
    for row in fresh.iter_rows(named=True):
        behind = row["days_behind_newest"]
        verdict = verdicts.get(row["kind"])
        css = VERDICT_CSS.get(verdict, "unjudged")
        lag = "newest" if behind == 0 else f"{behind} d behind the newest export"
        run = days_word(row["days_before_run"], "before the run", "after the run date")
        judged = "" if verdict else "; not judged"
        items.append(
            f'<span data-freshness="{esc(row["kind"])}" data-verdict="{esc(verdict or "none")}">'
            f"{esc(row['kind'])} <b>{esc(fmt_date(row['last_day']))}</b> "
            f'<span class="{css}">({esc(lag)}; {esc(run)}{judged})</span></span>'
        )
    return items


def _checks_item(states: pl.DataFrame) -> str:
    if states.is_empty():
        return '<span data-checks="none">checks: <b>no results recorded</b></span>'
    counts = queries.check_counts(states)
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
        (with its lag behind the newest export of any kind and behind the run date,
        coloured by the export-freshness check's verdict, uncoloured where it judges none) and
        the counts of passed, warning and failed checks linking to the Data quality page.
    """
    fresh = queries.freshness(con, run_date)
    items = [
        f"<span data-run-date>run <b>{esc(run_date.isoformat())}</b></span>",
        *(
            _freshness_items(fresh, queries.freshness_verdicts(con))
            or ["<span>no exports loaded yet</span>"]
        ),
        _checks_item(queries.check_states(con)),
    ]
    return f'<div class="status" role="status">{"".join(items)}</div>'
