"""Read the data-quality state from the warehouse: export freshness, check results,
quarantine groups with examples, and row reconciliation per export kind.

Quarantined raw values are shown as examples only for columns that hold no personal data,
and with e-mail addresses, phone numbers and IP addresses masked anywhere in the text,
because a rejected value is by definition not what the column should hold.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from contract.exports import CONTRACT, RAW_TABLE
from warehouse.frames import query, table_exists

PII_COLUMNS: frozenset[str] = frozenset(c.name for cols in CONTRACT.values() for c in cols if c.pii)
CHECK_RESULTS = "quality.check_results"
QUARANTINE_GROUPS = 25  # rows of the quarantine table on the page
EXAMPLE_CHARS = 40  # longer raw values are cut: the example only has to show the problem
HIDDEN = "value in a personal-data column (details hidden)"
# (pattern, replacement); applied in this order. Phones before IPs: both are digit runs.
PERSONAL_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"[^\s\"'<>@]+@[^\s\"'<>@]+\.[A-Za-z]{2,}", "[e-mail hidden]"),
    (r"(?:\+\d{1,3}[ .-]?)?\(?\d{2,4}\)?[ .-]\d{3,4}[ .-]\d{3,4}\b", "[phone hidden]"),
    (r"\b\d{1,3}(?:\.\d{1,3}){3}\b", "[IP hidden]"),
)


def mask_personal(text: pl.Expr) -> pl.Expr:
    """Replace e-mail addresses, phone numbers and IPv4 addresses inside a text column."""
    for pattern, replacement in PERSONAL_PATTERNS:
        text = text.str.replace_all(pattern, replacement)
    return text


def freshness(con: duckdb.DuckDBPyConnection, run_date: date) -> pl.DataFrame:
    """Newest export day per kind and how far it lags behind the run date and the newest export.

    Args:
        con: open connection to the warehouse.
        run_date: the day the site is published.

    Returns:
        kind, files, first_day, last_day, days_before_run (run date - last day),
        days_behind_newest (newest export day of any kind - last day); one row per kind.
    """
    return query(
        con,
        "select kind, count(*)::bigint as files, min(export_date) as first_day,"
        " max(export_date) as last_day,"
        " date_diff('day', max(export_date), $run_date::date) as days_before_run,"
        " date_diff('day', max(export_date), max(max(export_date)) over ()) as days_behind_newest"
        " from quality.load_log group by kind order by kind",
        {"run_date": run_date},
    )


def check_states(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The newest evaluation of every check, failures first.

    Returns:
        asset, check_name, severity, passed, state ('passed', 'warning' for a failed WARN
        check, 'failed'), description (personal data masked), checked_at; empty when no
        check has recorded a result yet.
    """
    schema = {
        "asset": pl.String,
        "check_name": pl.String,
        "severity": pl.String,
        "passed": pl.Boolean,
        "description": pl.String,
        "checked_at": pl.Datetime("us"),
    }
    if not table_exists(con, CHECK_RESULTS):
        frame = pl.DataFrame(schema=schema)
    else:
        frame = query(
            con,
            "select asset, check_name, severity, passed, description, checked_at"
            " from quality.check_results"
            " qualify row_number() over (partition by asset, check_name order by checked_at desc) = 1",
        )
    state = (
        pl.when(pl.col("passed"))
        .then(pl.lit("passed"))
        .when(pl.col("severity") == "WARN")
        .then(pl.lit("warning"))
        .otherwise(pl.lit("failed"))
    )
    order = pl.col("state").replace_strict(
        {"failed": 0, "warning": 1, "passed": 2}, return_dtype=pl.Int8
    )
    return (
        frame.with_columns(state.alias("state"), mask_personal(pl.col("description").fill_null("")))
        .sort(order, "asset", "check_name")
        .select("asset", "check_name", "severity", "passed", "state", "description", "checked_at")
    )


def check_counts(states: pl.DataFrame) -> dict[str, int]:
    """How many checks passed, warned (failed WARN checks) and failed (blocking ones)."""
    counts = dict(states.group_by("state").len().iter_rows())
    return {state: counts.get(state, 0) for state in ("passed", "warning", "failed")}


def quarantine_groups(
    con: duckdb.DuckDBPyConnection, limit: int = QUARANTINE_GROUPS
) -> pl.DataFrame:
    """Quarantined rows grouped by kind, column and reason, with one example each.

    Args:
        con: open connection to the warehouse.
        limit: how many groups to return (the largest).

    Returns:
        kind, column_name, reason, rows, example_value, example_at ('file:line' of the
        first quarantined row of the group); most rows first.
    """
    grouped = query(
        con,
        "select kind, column_name, reason, count(*)::bigint as rows,"
        " arg_min(raw_value, (file, line)) as example_value,"
        " arg_min(file || ':' || line, (file, line)) as example_at"
        " from quality.quarantine group by all",
    )
    personal = pl.col("column_name").is_in(sorted(PII_COLUMNS))
    safe = grouped.with_columns(
        pl.when(personal)
        .then(pl.lit(HIDDEN))
        .otherwise(mask_personal(pl.col("reason").fill_null("(no reason given)")))
        .alias("reason"),
        pl.when(personal)
        .then(pl.lit("(hidden)"))
        .otherwise(
            mask_personal(pl.col("example_value").fill_null("(empty)")).str.slice(0, EXAMPLE_CHARS)
        )
        .alias("example_value"),
    )
    # Reasons of personal-data columns collapse into one group per column once hidden.
    return (
        safe.group_by("kind", "column_name", "reason")
        .agg(pl.col("rows").sum(), pl.col("example_value").first(), pl.col("example_at").min())
        .sort(["rows", "kind", "column_name", "reason"], descending=[True, False, False, False])
        .head(limit)
    )


def quarantine_by_kind(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Quarantined rows per export kind and column, the largest groups of each kind first."""
    return query(
        con,
        "select kind, column_name, count(*)::bigint as rows from quality.quarantine"
        " group by all order by kind, rows desc",
    )


def reconciliation(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Rows read = rows loaded + rows quarantined, per export kind over every loaded file.

    Returns:
        kind, files, rows_read, rows_loaded, rows_quarantined, unaccounted (read - loaded -
        quarantined; 0 when every row is accounted for), files_unreconciled.
    """
    return query(
        con,
        "select kind, count(*)::bigint as files, sum(rows_read)::bigint as rows_read,"
        " sum(rows_loaded)::bigint as rows_loaded,"
        " sum(rows_quarantined)::bigint as rows_quarantined,"
        " sum(rows_read - rows_loaded - rows_quarantined)::bigint as unaccounted,"
        " count(*) filter (where rows_read <> rows_loaded + rows_quarantined)::bigint"
        " as files_unreconciled"
        " from quality.load_log group by kind order by kind",
    )


def freshness_verdicts(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """What the newest export-freshness check said of each export kind it judged.

    Returns:
        kind -> 'fresh' (within its allowed lag) or 'late' (warned); a kind the check does
        not judge (no allowed lag set, e.g. the catalog snapshot) or never ran on is absent.
    """
    if not table_exists(con, CHECK_RESULTS):
        return {}
    kinds = {f"raw/{table}": kind for kind, table in RAW_TABLE.items()}
    # A failed check judged the kind late; a passed one judged it only when it had a limit.
    rows = con.execute(
        "select asset, passed, json_extract(details, '$.max_lag_days') as max_lag_days"
        " from quality.check_results where check_name = 'export_freshness'"
        " qualify row_number() over (partition by asset order by checked_at desc) = 1"
    ).fetchall()
    verdicts = {}
    for asset, passed, max_lag_days in rows:
        judged = not passed or max_lag_days not in (None, "null")
        if asset in kinds and judged:
            verdicts[kinds[asset]] = "fresh" if passed else "late"
    return verdicts
