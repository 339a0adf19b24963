"""Whether the model backtest runs now, or the last one still serves.

The backtest (forecasts.demand_backtest, accuracy_summary, model_choice, sku_reliability)
scores every candidate model on rolling windows and chooses the models each demand-pattern
class averages. One more day of history moves those choices little, and the backtest is
the nightly run's largest step (a quarter of it at SF1, docs/performance.md). Its cadence
is Dagster's: the weekly_backtest schedule runs it with `full_rebuild` once a week. Any
other run keeps the last backtest unless:

- no backtest was recorded before (Dagster's last materialization of
  forecasts/demand_backtest carries what it saw, see BacktestInputs), or one of its tables
  is missing from the warehouse;
- the forecasting settings it reads changed (models, horizon, windows, history, calendar);
- the demand history starts on another day (older days were loaded);
- the run asks for it (`full_rebuild: true` in the asset's run config);
- the demand history ends more than `forecasting.backtest_every_days` days (default 7; 0
  runs it in every run) past the last day the earlier backtest saw, or before it. With the
  weekly schedule running, the last backtest is never that old; this is the cadence of
  deployments run from the command line, with no daemon to run schedules.

A kept backtest's tables stay as they are and the forecast averages the models it chose.
A change to older history (a re-export of a past month) waits for the next backtest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from config.settings import ForecastingSettings
from warehouse.frames import table_exists

# The tables one backtest writes, each an attribute of forecasting.evaluation.Evaluation.
TABLES = ("demand_backtest", "accuracy_summary", "model_choice", "sku_reliability")
# Settings that change where or how often the backtest runs, not what it computes.
NOT_RESULTS = ("engine", "cluster_address", "backtest_every_days")
# Metadata names under which a materialization of forecasts/demand_backtest records its inputs.
SETTINGS_KEY = "backtest_settings"
HISTORY_START = "backtest_history_start"
HISTORY_END = "backtest_history_end"


def settings_key(cfg: ForecastingSettings) -> str:
    """A fingerprint of the forecasting settings the backtest's result depends on."""
    fields = {k: v for k, v in vars(cfg).items() if k not in NOT_RESULTS}
    return hashlib.sha256(repr(sorted(fields.items())).encode()).hexdigest()[:16]


def _day(text: object) -> dt.date | None:
    return dt.date.fromisoformat(text) if isinstance(text, str) and text else None


@dataclass(frozen=True)
class BacktestInputs:
    """What a backtest reads: its settings (settings_key) and the demand history's first and
    last day (None when there is no history)."""

    settings: str
    history_start: dt.date | None
    history_end: dt.date | None

    def as_metadata(self) -> dict[str, str]:
        """Plain text values to record with the backtest's materialization."""
        return {
            SETTINGS_KEY: self.settings,
            HISTORY_START: self.history_start.isoformat() if self.history_start else "",
            HISTORY_END: self.history_end.isoformat() if self.history_end else "",
        }

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, object]) -> BacktestInputs | None:
        """The inputs recorded by `as_metadata`, or None when the metadata holds none."""
        if not isinstance(metadata.get(SETTINGS_KEY), str):
            return None
        return cls(
            metadata[SETTINGS_KEY],
            _day(metadata.get(HISTORY_START)),
            _day(metadata.get(HISTORY_END)),
        )


@dataclass(frozen=True)
class BacktestDecision:
    run: bool
    reason: str  # why it runs, or why the last backtest still serves


def decide_backtest(
    last: BacktestInputs | None,
    now: BacktestInputs,
    every_days: int,
    *,
    forced: bool,
    tables_present: bool,
) -> BacktestDecision:
    """Whether the backtest must run now, and why (or why the last one still serves).

    Args:
        last: what the last backtest saw, None when none was recorded.
        now: what a backtest would see now.
        every_days: forecasting.backtest_every_days; 0 runs it every time.
        forced: the run config asks for a full rebuild.
        tables_present: the backtest's tables are all in the warehouse.
    """
    if forced:
        return BacktestDecision(True, "full_rebuild requested in the run config")
    if last is None:
        return BacktestDecision(True, "no earlier backtest recorded")
    if not tables_present:
        return BacktestDecision(True, "the last backtest's tables are missing from the warehouse")
    if every_days <= 0:
        return BacktestDecision(True, "forecasting.backtest_every_days is 0: every run")
    if now.settings != last.settings:
        return BacktestDecision(True, "forecasting settings changed since the last backtest")
    if now.history_end is None or last.history_end is None:
        return BacktestDecision(True, "no demand history to compare")
    if now.history_start != last.history_start:
        return BacktestDecision(
            True,
            f"history now starts {now.history_start}, "
            f"the last backtest's started {last.history_start}",
        )
    moved = (now.history_end - last.history_end).days
    if not 0 <= moved <= every_days:
        return BacktestDecision(
            True,
            f"history ends {moved} days from the last backtest's {last.history_end} "
            f"(more than forecasting.backtest_every_days, {every_days})",
        )
    return BacktestDecision(
        False,
        f"kept the backtest of history to {last.history_end}: history is {moved} days newer, "
        f"within forecasting.backtest_every_days ({every_days})",
    )


def current_inputs(con: duckdb.DuckDBPyConnection, cfg: ForecastingSettings) -> BacktestInputs:
    """What a backtest would read now: these settings and marts.sku_demand_daily's days."""
    start, end = con.execute("select min(day), max(day) from marts.sku_demand_daily").fetchall()[0]
    return BacktestInputs(settings_key(cfg), start, end)


def tables_present(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether every table of the backtest exists (forecasts.<TABLES>)."""
    return all(table_exists(con, f"forecasts.{table}") for table in TABLES)
