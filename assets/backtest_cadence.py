"""When the model backtest runs: when its history has grown by a week, not every night.

The backtest (forecasts.demand_backtest, forecasts.accuracy_summary) scores every candidate
model on rolling windows and chooses the models each demand-pattern class averages. One
more day of history moves those choices little, and the backtest is the nightly run's
largest step (a quarter of it at SF1, docs/performance.md). So it runs again only when:

- there is no earlier backtest in this warehouse, or one of its tables is missing;
- the forecasting settings it reads changed (models, horizon, windows, history, calendar);
- the demand history has moved `forecasting.backtest_every_days` days (default 7; 0 runs
  it in every run) past the last day the earlier backtest saw, or back before it, or
  starts on another day (older days were loaded);
- the run asks for it (`full_rebuild: true` in the asset's run config).

Otherwise its tables are kept as they are, the materialization says so (build: kept, and
why), and the forecast averages the models that backtest chose. A change to older history
(a re-export of a past month) waits for the next due backtest or a forced one.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import duckdb

from config.settings import ForecastingSettings
from warehouse.frames import scalar

STATE = (
    "create schema if not exists build_state; "
    "create table if not exists build_state.backtests "
    "(settings varchar, history_start date, history_end date, built_at timestamp)"
)
TABLES = ("demand_backtest", "accuracy_summary")
# Settings that change where or how often the backtest runs, not what it computes.
NOT_RESULTS = ("dask_address", "backtest_every_days")


def settings_key(cfg: ForecastingSettings) -> str:
    """A fingerprint of the forecasting settings the backtest's result depends on."""
    fields = {k: v for k, v in cfg.model_dump().items() if k not in NOT_RESULTS}
    return hashlib.sha256(repr(sorted(fields.items())).encode()).hexdigest()[:16]


History = tuple[dt.date | None, dt.date | None]


def history(con: duckdb.DuckDBPyConnection) -> History:
    """The first and last day of demand history (marts.sku_demand_daily)."""
    return con.execute("select min(day), max(day) from marts.sku_demand_daily").fetchall()[0]


def due(
    con: duckdb.DuckDBPyConnection, cfg: ForecastingSettings, now: History, forced: bool
) -> tuple[bool, str]:
    """Whether the backtest must run now, and why (or why the last one still serves)."""
    if forced:
        return True, "full_rebuild requested in the run config"
    con.execute(STATE)
    present = scalar(
        con,
        "select count(*) from duckdb_tables() where schema_name = 'forecasts' "
        "and table_name in (select unnest($1::varchar[]))",
        [list(TABLES)],
    )
    last = con.execute(
        "select settings, history_start, history_end from build_state.backtests "
        "order by built_at desc limit 1"
    ).fetchall()
    if not last or present < len(TABLES):
        return True, "no earlier backtest in this warehouse"
    if cfg.backtest_every_days <= 0:
        return True, "forecasting.backtest_every_days is 0: every run"
    settings, seen_start, seen_end = last[0]
    (start, end) = now
    if settings != settings_key(cfg):
        return True, "forecasting settings changed since the last backtest"
    if end is None or seen_end is None:
        return True, "no demand history to compare"
    if start != seen_start:
        return True, f"history now starts {start}, the last backtest's started {seen_start}"
    moved = (end - seen_end).days
    every = cfg.backtest_every_days
    if not 0 <= moved < every:
        return (
            True,
            f"history ends {moved} days from the last backtest's {seen_end} (every {every})",
        )
    return False, (
        f"kept the backtest of history to {seen_end}: history is {moved} of {every} days "
        f"newer (forecasting.backtest_every_days)"
    )


def record(con: duckdb.DuckDBPyConnection, cfg: ForecastingSettings, seen: History) -> None:
    """Note that a backtest of the `seen` history with these settings was written."""
    con.execute(STATE)
    con.execute(
        "insert into build_state.backtests values (?, ?, ?, current_timestamp)",
        [settings_key(cfg), *seen],
    )
