"""Run settings: one YAML file, one section per stage, every value with a default.

The file is optional (`orderpulse run --settings FILE`). Unknown sections or keys are an
error naming the key, so a typo never silently falls back to a default. Domain packages
never read settings themselves: assets pass the values they need as arguments.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class IngestSettings:
    currency: str = "GBP"  # currency of rows that do not name one
    accepted_currencies: tuple[str, ...] = ("GBP", "EUR", "USD")


@dataclass(frozen=True)
class TrafficSettings:
    session_timeout_minutes: int = 30  # GA4 and Shopify both use 30 minutes of inactivity
    # Universal Analytics also cut sessions at midnight and on a new campaign source; GA4
    # does neither, so both are off by default.
    split_at_midnight: bool = False
    split_on_new_source: bool = False
    # A cart or checkout counts as recovered when the same visitor buys within this many
    # hours of it, in that session or a later one.
    cart_recovery_window_hours: int = 24


@dataclass(frozen=True)
class ForecastingSettings:
    horizon_days: int = 28
    levels: tuple[int, ...] = (80, 95)
    season_length: int = 7
    # ISO weekdays the shop trades (1 = Monday). The real Online Retail shop never traded
    # on Saturdays, so by default Saturday is not a demand day at all rather than a zero.
    trading_weekdays: tuple[int, ...] = (1, 2, 3, 4, 5, 7)
    history_days: int = 365  # demand history fed to the models
    min_active_days: int = 90  # SKUs without a sale in this many days are not forecast
    # A sale cancelled (same customer, SKU and quantity) within this many hours is an order
    # mistake, not demand: marts.sku_demand_daily.demand_units leaves it out.
    reversal_window_hours: int = 24
    # Models backtested (names in forecasting/models.py CANDIDATES). AutoETS (~110 s
    # for 3,500 SKUs on 2 cores) and AutoTheta (~70 s) are off by default: add them here.
    # The nightly default: every model in forecasting/models.py but the two slow automatic ones.
    candidate_models: tuple[str, ...] = (
        "CrostonClassic",
        "CrostonSBA",
        "CrostonOptimized",
        "ADIDA",
        "IMAPA",
        "TSB",
        "Naive",
        "HistoricAverage",
        "SeasonalNaive",
        "SeasonalWindowAverage",
        "SeasonalESOptimized",
    )
    backtest_windows: int = 4  # back-to-back windows of horizon_days; the last is the holdout
    backtest_min_train_days: int = 56  # trading days of history before a SKU's first window
    # Re-run the backtest when the demand history has moved this many days past the last
    # one (assets/backtest_cadence.py); 0 runs it in every run.
    backtest_every_days: int = 7
    combine_top: int = 3  # each demand-pattern class forecasts with the mean of its best N models
    # Dask scheduler (e.g. tcp://scheduler:8786): statsforecast then runs there via fugue
    # (install the `dask` extra). None: in this process.
    dask_address: str | None = None


@dataclass(frozen=True)
class InventorySettings:
    # Target cycle service level (probability of no stockout per replenishment cycle) by ABC class.
    service_level: dict[str, float] = field(
        default_factory=lambda: {"A": 0.98, "B": 0.95, "C": 0.90}
    )
    review_period_days: int = 7  # how often the merchandiser places orders
    policy: str = "order-up-to"  # or "eoq"
    holding_cost_rate: float = 0.25  # per unit cost per year, for EOQ
    order_cost: float = 30.0  # fixed cost per purchase order, for EOQ
    # Money available for today's orders; None = no cap. When set, orders are funded in
    # order of stockout probability x value of the lead-time demand; the rest are deferred.
    budget_cap: float | None = None
    # Policy backtest (inventory.policy_backtest); defaults are the reference setup in
    # docs/inventory.md, so its classic row can be checked against the reference figures.
    backtest_targets: tuple[float, ...] = (0.80, 0.90, 0.95, 0.98)
    backtest_replay_days: int = 84  # trading days replayed, ending on the last demand day
    backtest_replan_every_days: int = 28
    backtest_history_days: int = 56  # classic mean/sd window; recommended demand level
    backtest_distribution_days: int = 112  # empirical lead-time demand; large-order thresholds
    # A SKU-day above this multiple of the SKU's median selling day (and its 99th percentile)
    # is made to order, not served from stock, under both policies; None = all from stock.
    backtest_large_order_multiple: float | None = 10.0


@dataclass(frozen=True)
class ClvSettings:
    # ISO date; default: the last third of the days from the first order day to the
    # holdout end is the holdout (forecasting/clv/validation.py split_dates).
    calibration_end: str | None = None
    holdout_end: str | None = None  # ISO date; default: the last order day
    time_unit: str = "W"  # D, W or M (= 365.25 / 12 days); recency and age are days / unit
    horizon_days: int = 365  # CLV counts the purchases expected this many days ahead
    annual_discount_rate: float = 0.10
    gross_margin: float = 0.30  # share of a purchase's value that is margin


@dataclass(frozen=True)
class QualitySettings:
    # Share of an export kind's rows (over the days a run loads) that may go to quarantine
    # before the run stops: above it the feed is broken rather than a little dirty.
    max_quarantine_share: float = 0.05
    # The newest inventory snapshot may be at most this many days older than the newest
    # order day; reorder quantities from older stock would order what is already there.
    inventory_max_age_days: int = 2
    # Days an export kind may lag the newest orders export before its freshness check warns.
    # None: not judged (the catalog is a snapshot sent when it changes, not a daily feed).
    export_max_lag_days: dict[str, int | None] = field(
        default_factory=lambda: {
            "orders": 0,
            "traffic": 1,
            "feedback": 7,
            "inventory": 2,
            "catalog": None,
            "shipments": 3,
        }
    )


@dataclass(frozen=True)
class WarehouseSettings:
    # DuckDB memory limit of every warehouse connection, e.g. "6GB"; None: DuckDB's own
    # default (80 % of the machine's RAM). Past it DuckDB spills sorts, joins, windows and
    # aggregates to temp_directory rather than failing.
    memory_limit: str | None = None
    # Where DuckDB spills; "" = DuckDB's default, `<warehouse file>.tmp` beside the warehouse.
    temp_directory: str = ""


@dataclass(frozen=True)
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings)
    traffic: TrafficSettings = field(default_factory=TrafficSettings)
    forecasting: ForecastingSettings = field(default_factory=ForecastingSettings)
    inventory: InventorySettings = field(default_factory=InventorySettings)
    clv: ClvSettings = field(default_factory=ClvSettings)
    quality: QualitySettings = field(default_factory=QualitySettings)
    warehouse: WarehouseSettings = field(default_factory=WarehouseSettings)


def _build(cls: type, values: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValueError(f"settings: unknown key(s) {unknown} in {where}; known: {sorted(known)}")
    kwargs = {}
    for name, value in values.items():
        default = getattr(cls(), name)
        if dataclasses.is_dataclass(default):
            value = _build(type(default), value or {}, f"{where}.{name}")
        elif isinstance(default, tuple) and isinstance(value, list):
            value = tuple(value)
        kwargs[name] = value
    return cls(**kwargs)


def load_settings(path: str | Path | None) -> Settings:
    """Read a settings YAML file; `None` or an empty path gives the documented defaults."""
    if not path:
        return Settings()
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"settings file {path} does not exist; omit --settings to use defaults"
        )
    values = yaml.safe_load(path.read_text()) or {}
    if not isinstance(values, dict):
        raise ValueError(
            f"settings file {path}: expected a mapping of sections, got {type(values).__name__}"
        )
    return _build(Settings, values, str(path))
