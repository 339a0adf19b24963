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


@dataclass(frozen=True)
class InventorySettings:
    # Target cycle service level (probability of no stockout per replenishment cycle) by ABC class.
    service_level: dict[str, float] = field(default_factory=lambda: {"A": 0.98, "B": 0.95, "C": 0.90})
    review_period_days: int = 7  # how often the merchandiser places orders
    policy: str = "order-up-to"  # or "eoq"
    holding_cost_rate: float = 0.25  # per unit cost per year, for EOQ
    order_cost: float = 30.0  # fixed cost per purchase order, for EOQ


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
        default_factory=lambda: {"orders": 0, "traffic": 1, "feedback": 7, "inventory": 2, "catalog": None, "shipments": 3}
    )


@dataclass(frozen=True)
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings)
    traffic: TrafficSettings = field(default_factory=TrafficSettings)
    forecasting: ForecastingSettings = field(default_factory=ForecastingSettings)
    inventory: InventorySettings = field(default_factory=InventorySettings)
    clv: ClvSettings = field(default_factory=ClvSettings)
    quality: QualitySettings = field(default_factory=QualitySettings)


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
        raise FileNotFoundError(f"settings file {path} does not exist; omit --settings to use defaults")
    values = yaml.safe_load(path.read_text()) or {}
    if not isinstance(values, dict):
        raise ValueError(f"settings file {path}: expected a mapping of sections, got {type(values).__name__}")
    return _build(Settings, values, str(path))
