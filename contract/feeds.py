"""Which feeds a shop sends, and what each one unlocks.

Any subset of the export kinds is a valid shop: a run computes what its feeds allow and
skips the rest. Two states must not be confused:

- **never provided**: no file of that kind was ever loaded into this warehouse, i.e.
  ``quality.load_log`` has no row for the kind. Nothing depending on it is computed, the
  blocking checks do not judge it, and one line (:func:`missing_feed_line`) says which
  folder to drop files in and what they would unlock;
- **stopped arriving**: files of that kind were loaded before, but the newest is older
  than the lag the settings allow (quality.export_max_lag_days,
  quality.inventory_max_age_days). That is a broken feed, and its checks fail as before.

This module is the one place for "what does a missing feed cost": the console summary,
the dashboard pages and the data-quality page all print :func:`missing_feed_line`.
"""

from __future__ import annotations

import duckdb

from contract.exports import KINDS

# What each export kind unlocks, in the words of a merchandiser or analyst.
UNLOCKS: dict[str, str] = {
    "orders": "sales, customers, demand forecasts and reorder levels",
    "traffic": "the conversion funnel, cart abandonment and sessions per day",
    "feedback": "review ratings, NPS, the worst-rated products and NPS after late deliveries",
    "inventory": "on-hand stock, so the reorder list says what to order now and how much",
    "catalog": "per-SKU lead time, unit cost, MOQ and pack size for reorder quantities "
    "(the settings inventory.assumed_* stand in without it)",
    "shipments": "delivery times against the promise and late-delivery rates",
}


def missing_feed_line(kind: str) -> str:
    """The one line that says a feed was never provided, where to drop it and what it unlocks."""
    if kind not in UNLOCKS:
        raise ValueError(f"unknown export kind {kind!r}; use one of {KINDS}")
    return f"No {kind} feed: drop {kind}/YYYY-MM-DD.csv files into the exports folder to unlock {UNLOCKS[kind]}."


def provided_feeds(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The export kinds with at least one file ever loaded (a row in quality.load_log)."""
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'quality' and table_name = 'load_log'"
    ).fetchall()[0][0]
    if not exists:
        return set()
    return {
        kind for (kind,) in con.execute("select distinct kind from quality.load_log").fetchall()
    }


def missing_feeds(con: duckdb.DuckDBPyConnection, kinds: tuple[str, ...] = KINDS) -> list[str]:
    """Those of `kinds` never provided, in the contract's order."""
    provided = provided_feeds(con)
    return [kind for kind in kinds if kind not in provided]
