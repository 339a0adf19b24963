"""Whether a backtest runs now, or the last one still serves.

Three evaluations replay the past and run on one cadence: the model backtest
(forecasts.demand_backtest, accuracy_summary, model_choice, sku_reliability) scores every
candidate model on rolling windows and chooses the models each demand-pattern class
averages; the policy backtest (inventory.policy_backtest) replays the reorder policies over
the last trading days; the CLV validation (marts.clv_tracking, clv_conditional and the
calibration rows of clv_model) fits the purchase models on a calibration window, scores
them on the holdout and keeps one, which every run refits on the whole order history to
score the customers (assets/clv_validation.py). One more day of history moves each little,
and together they were the nightly run's largest steps (docs/performance.md). Their cadence
is Dagster's: the weekly_backtest schedule runs all three with `full_rebuild` once a week.
Any other run keeps the last result unless:

- none was recorded before (Dagster's last materialization of the evaluation's first table
  carries what it saw, see BacktestInputs), or one of its tables is missing from the
  warehouse;
- the settings it reads changed (Evaluation.settings names them: for the model backtest the
  forecasting settings, for the policy backtest the inventory settings and the catalog
  terms it replays with, see policy_settings_key, for the CLV validation the clv settings);
- its history (the demand history; the order lines for the CLV validation) starts on
  another day (older days were loaded);
- the run asks for it (`full_rebuild: true` in the asset's run config);
- the history ends more than `forecasting.backtest_every_days` days (default 7; 0 runs
  all three in every run) past the last day the earlier result saw, or before it. With the
  weekly schedule running, the last result is never that old; this is the cadence of
  deployments run from the command line, with no daemon to run schedules.

A kept result's tables stay as they are (the forecast averages the models the kept model
backtest chose; the reorder page shows the kept replay's window; customers are scored by
the model the kept validation chose, and its split stays until the next validation). A change to older history
(a re-export of a past month) waits for the next run of each.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from config.settings import ClvSettings, ForecastingSettings, InventorySettings
from warehouse.frames import table_exists

# The tables the model backtest writes, each an attribute of forecasting.evaluation.Evaluation.
TABLES = ("demand_backtest", "accuracy_summary", "model_choice", "sku_reliability")
# Settings that change where or how often the backtest runs, not what it computes.
NOT_RESULTS = ("engine", "cluster_address", "backtest_every_days")
# Metadata names under which a backtest's materialization (forecasts/demand_backtest,
# inventory/policy_backtest) records its inputs.
SETTINGS_KEY = "backtest_settings"
HISTORY_START = "backtest_history_start"
HISTORY_END = "backtest_history_end"


def _fingerprint(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


def settings_key(cfg: ForecastingSettings) -> str:
    """A fingerprint of the forecasting settings the model backtest's result depends on."""
    fields = {k: v for k, v in vars(cfg).items() if k not in NOT_RESULTS}
    return _fingerprint(sorted(fields.items()))


def clv_settings_key(cfg: ClvSettings) -> str:
    """A fingerprint of the clv settings. The split and the time unit set the validation;
    the horizon, discount and margin only the customers' values, which every run scores,
    but they are in it too: a changed section validates again, one run more at most."""
    return _fingerprint(sorted(vars(cfg).items()))


def policy_settings_key(
    inventory: InventorySettings, forecasting: ForecastingSettings, terms_csv: str
) -> str:
    """A fingerprint of what the policy backtest replays with besides the demand history.

    Args:
        inventory: the whole inventory section (the replay reads its targets, windows,
            review period, large-order rule, supplier lead times and assumed terms; a change
            to a field it does not read costs one replay more).
        forecasting: the bucket and trading weekdays, which set the days the replay steps.
        terms_csv: the catalog terms (sku, unit value, lead time in trading days), sorted
            by SKU, as CSV text, of the SKUs sold by the last replay's last day: a changed
            cost or lead time of one replays again, a product first sold since waits for
            the next replay like the new days do. Each SKU's share of high-value revenue is
            not in it either: it moves a little with every night's orders.
    """
    parts = (
        sorted(vars(inventory).items()),
        forecasting.bucket,
        tuple(forecasting.trading_weekdays),
        terms_csv,
    )
    return _fingerprint(parts)


def _day(text: object) -> dt.date | None:
    return dt.date.fromisoformat(text) if isinstance(text, str) and text else None


@dataclass(frozen=True)
class BacktestInputs:
    """What a backtest reads: its settings (settings_key) and its history's first and
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
class Evaluation:
    """How the decision's reasons name one evaluation and the settings it reads."""

    name: str
    settings: str
    history: str = "demand history"


MODEL_BACKTEST = Evaluation("backtest", "forecasting settings")
POLICY_BACKTEST = Evaluation("policy backtest", "inventory settings or catalog terms")
CLV_VALIDATION = Evaluation("CLV validation", "clv settings", "order history")


@dataclass(frozen=True)
class BacktestDecision:
    run: bool
    reason: str  # why it runs, or why the last backtest still serves


def within_cadence(kept_through: dt.date, now_end: dt.date, every_days: int) -> bool:
    """Whether work done on data up to `kept_through` still serves data up to `now_end`:
    the data moved on by 0 to `every_days` days (forecasting.backtest_every_days; 0 redoes
    the work every run). The backtests, the band calibration and the review-text fits all
    keep their work by this rule."""
    return every_days > 0 and 0 <= (now_end - kept_through).days <= every_days


def decide_backtest(
    last: BacktestInputs | None,
    now: BacktestInputs,
    every_days: int,
    *,
    forced: bool,
    tables_present: bool,
    evaluation: Evaluation = MODEL_BACKTEST,
) -> BacktestDecision:
    """Whether a backtest must run now, and why (or why the last one still serves).

    Args:
        last: what the last backtest saw, None when none was recorded.
        now: what a backtest would see now.
        every_days: forecasting.backtest_every_days; 0 runs it every time.
        forced: the run config asks for a full rebuild.
        tables_present: the backtest's tables are all in the warehouse.
        evaluation: which backtest, as the reasons name it.
    """
    name = evaluation.name
    if forced:
        return BacktestDecision(True, "full_rebuild requested in the run config")
    if last is None:
        return BacktestDecision(True, f"no earlier {name} recorded")
    if not tables_present:
        return BacktestDecision(True, f"the last {name}'s tables are missing from the warehouse")
    if every_days <= 0:
        return BacktestDecision(True, "forecasting.backtest_every_days is 0: every run")
    if now.settings != last.settings:
        return BacktestDecision(True, f"{evaluation.settings} changed since the last {name}")
    if now.history_end is None or last.history_end is None:
        return BacktestDecision(True, f"no {evaluation.history} to compare")
    if now.history_start != last.history_start:
        return BacktestDecision(
            True,
            f"history now starts {now.history_start}, "
            f"the last {name}'s started {last.history_start}",
        )
    moved = (now.history_end - last.history_end).days
    if not within_cadence(last.history_end, now.history_end, every_days):
        return BacktestDecision(
            True,
            f"history ends {moved} days from the last {name}'s {last.history_end} "
            f"(more than forecasting.backtest_every_days, {every_days})",
        )
    return BacktestDecision(
        False,
        f"kept the {name} of history to {last.history_end}: history is {moved} days newer, "
        f"within forecasting.backtest_every_days ({every_days})",
    )


def history_days(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """marts.sku_demand_daily's first and last day (None, None when it is empty)."""
    return con.execute("select min(day), max(day) from marts.sku_demand_daily").fetchall()[0]


def history_inputs(con: duckdb.DuckDBPyConnection, settings: str) -> BacktestInputs:
    """What a backtest would read now: its settings fingerprint (settings_key or
    policy_settings_key) and the demand history's first and last day."""
    return BacktestInputs(settings, *history_days(con))


def current_inputs(con: duckdb.DuckDBPyConnection, cfg: ForecastingSettings) -> BacktestInputs:
    """What the model backtest would read now: these settings and the demand history's days."""
    return history_inputs(con, settings_key(cfg))


def tables_present(
    con: duckdb.DuckDBPyConnection,
    tables: tuple[str, ...] = tuple(f"forecasts.{t}" for t in TABLES),
) -> bool:
    """Whether every table of a backtest exists (by default the model backtest's)."""
    return all(table_exists(con, table) for table in tables)
