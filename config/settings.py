"""Run settings: one YAML file, one section per stage, every value with a default.

The file is optional (`orderpulse run --settings FILE`). These models are the one place
for every default, range and meaning; docs/settings.md is generated from them
(scripts/settings_doc.py). config/settings_file.py reads and validates a file before any
step runs. Domain packages never read settings themselves: assets pass the values they
need as arguments.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AliasChoices, Field, field_validator, model_validator

from config.settings_feedback import FeedbackSettings
from config.settings_inventory import InventorySettings
from config.settings_section import Section
from config.settings_service import (
    AlertsSettings,
    RetentionSettings,
    ScheduleSettings,
    WarehouseSettings,
)
from config.settings_types import (
    CurrencyCode,
    IntervalLevel,
    IsoDate,
    IsoWeekday,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    Share,
    TimeUnit,
)

# The span an unset forecasting.horizon covers, in trading days (converted into the bucket).
DEFAULT_HORIZON_DAYS = 28
# The longest monthly horizon taken as months: a larger value was meant as days.
MAX_MONTHLY_HORIZON = 24


class IngestSettings(Section):
    """Reading the exports."""

    currency: CurrencyCode = Field(
        "GBP",
        description="Currency of order rows that name none. A shop whose rows name their "
        "currency needs no setting; money figures never depend on it, it only labels rows.",
    )
    accepted_currencies: tuple[CurrencyCode, ...] | None = Field(
        None,
        min_length=1,
        description="Currencies an order row may have; a row in another goes to quarantine. "
        "null: any ISO 4217 code. A shop whose rows hold several currencies names the one it "
        "reports in here, since money in different currencies is never summed.",
    )
    # Plausibility bounds (contract/bounds.py says which column takes which): a row with a
    # value beyond them is quarantined with the bound and this setting in its reason.
    max_unit_price: PositiveFloat = Field(
        1e7,
        description="Largest unit price or unit cost, in the shop's currency, of an order "
        "line or catalog row (negative prices: the same magnitude). Raise it for a currency "
        "with small units (JPY, KRW, IDR, VND) or a B2B shop selling machines. A line's money "
        "(discount, an event's value) may reach max_unit_price x max_units.",
    )
    max_units: PositiveInt = Field(
        1_000_000,
        description="Largest number of units on an order line, a cart event, a stock count, "
        "an MOQ or a pack size (in magnitude: returns are negative).",
    )
    max_days_ahead: NonNegativeInt = Field(
        1,
        description="Days a row's own date (ordered_at, event_at, submitted_at, snapshot_date, "
        "shipped_at, delivered_at) may lie after the day it was exported (its file's day; for "
        "a file not named by a day, today): covers an export day taken in UTC while the shop "
        "runs ahead of it. Dates before history.first_day are quarantined too.",
    )
    max_lead_time_days: PositiveInt = Field(
        365, description="Longest supplier lead time (and its standard deviation) in days."
    )


class HistorySettings(Section):
    """The export days a deployment covers."""

    first_day: IsoDate = Field(
        "1990-01-01",
        description="First export day of the deployment: Dagster's daily partitions start "
        "here. A run whose export files name an earlier day stops before any step with exit "
        "code 2 and the value to set. Each run lists every partition a few times, ~0.03 s "
        "per year of them (docs/performance.md): a shop may set its own first day.",
    )


class TrafficSettings(Section):
    """Sessions and cart abandonment from the web-analytics events."""

    session_timeout_minutes: PositiveInt = Field(
        30, description="Minutes of inactivity that end a session (GA4 and Shopify use 30)."
    )
    split_at_midnight: bool = Field(
        False,
        description="Start a new session at midnight, as Universal Analytics did; GA4 does not.",
    )
    split_on_new_source: bool = Field(
        False,
        description="Start a new session when the campaign source changes, as Universal "
        "Analytics did; GA4 does not.",
    )
    cart_recovery_window_hours: PositiveInt = Field(
        24,
        description="A cart or checkout counts as recovered when the same visitor buys within "
        "this many hours of it, in that session or a later one.",
    )


class ForecastingSettings(Section):
    """Demand series, the model backtest and the demand forecast."""

    bucket: Literal["day", "week", "month", "auto"] = Field(
        "day",
        description="The time bucket demand is forecast in: day (trading days), week (ISO "
        "weeks, Monday first), month (calendar months), or auto: per SKU the finest of the "
        "three in which it sells in at least half the buckets (slow movers monthly; "
        "docs/forecasting.md, 'Buckets'). Lead times stay in days and are converted.",
    )
    horizon: PositiveInt | None = Field(
        None,
        validation_alias=AliasChoices("horizon", "horizon_days"),
        description="Buckets the forecast looks ahead, counted in the bucket (trading days for "
        "daily buckets, e.g. 8 weeks or 3 months); also the length of a backtest window. "
        f"Null (unset): the span of {DEFAULT_HORIZON_DAYS} trading days in the bucket: "
        f"{DEFAULT_HORIZON_DAYS} days, 5 weeks or 2 months on a six-day shop (the buckets "
        "covering its calendar days, as bucket auto converts it). Beyond the horizon "
        "the reorder step plans on the forecast's mean day, so a lead time longer than the "
        "horizon still has demand. With bucket auto it counts trading days, and a weekly or "
        "monthly SKU gets the buckets covering as many calendar days. With bucket month a "
        f"value above {MAX_MONTHLY_HORIZON} is refused as a day count. The old key "
        "horizon_days is read as this.",
    )
    levels: tuple[IntervalLevel, ...] = Field(
        (80, 95), min_length=1, description="Prediction-interval levels of the forecast, in %."
    )
    season_length: PositiveInt = Field(
        7,
        description="Calendar days in one demand season of daily buckets (7: weekly); the "
        "seasonal models use the trading days within it.",
    )
    long_season_length: PositiveInt = Field(
        365,
        description="Calendar days in one demand season of weekly and monthly buckets (365: "
        "yearly, 52 weeks or 12 months); a series shorter than a season cannot be forecast by "
        "the seasonal models, which are then left out for it.",
    )
    series_start: Literal["first_sale", "history_start"] = Field(
        "first_sale",
        description="Where a SKU's series begins: at its first sale, or (history_start) at the "
        "first day of the history window with zero demand before its first sale, for a "
        "catalog whose items were all on sale from the start (e.g. spare parts).",
    )
    trading_weekdays: tuple[IsoWeekday, ...] = Field(
        (1, 2, 3, 4, 5, 7),
        min_length=1,
        description="ISO weekdays the shop trades (1 = Monday), each once. The Online Retail shop never "
        "traded on Saturdays, so by default Saturday is not a demand day at all rather than "
        "a day of zero sales.",
    )
    history_days: PositiveInt = Field(365, description="Days of demand history the models see.")
    min_active_days: PositiveInt = Field(
        90, description="SKUs without a sale in this many days are not forecast."
    )
    reversal_window_hours: NonNegativeInt = Field(
        24,
        description="A sale cancelled (same customer, SKU and quantity) within this many hours "
        "is an order mistake, not demand: marts.sku_demand_daily.demand_units leaves it out.",
    )
    candidate_models: tuple[str, ...] = Field(
        (
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
        ),
        min_length=1,
        description="Models the backtest scores (forecasting/models.py CANDIDATES; SeasonalNaive "
        "and Naive are required: the benchmarks of MASE and of each SKU's reliability, Naive "
        "where the history is shorter than a season). The nightly default is every model but the two "
        "slow automatic ones, AutoETS (~110 s for 3,500 SKUs on 2 cores) and AutoTheta "
        "(~70 s): add them here.",
    )
    backtest_windows: PositiveInt = Field(
        8,
        description="Back-to-back backtest windows of `horizon` buckets; the last is the holdout. "
        "The class choices are made on the earlier ones (a SKU gets as many as its history "
        "allows): more windows make the choice steadier, each costs one more fit per model.",
    )
    backtest_min_train_days: PositiveInt = Field(
        56,
        description="Trading days of history a SKU needs before its first backtest window; "
        "weekly and monthly buckets need the buckets covering as many calendar days.",
    )
    backtest_every_days: NonNegativeInt = Field(
        7,
        description="The weekly_backtest schedule re-runs the model backtest, the policy "
        "backtest (inventory.policy_backtest) and the CLV validation (marts.clv_*) and refits "
        "the review-text models every Sunday; a run without it (the CLI, no daemon) re-runs "
        "each when its history (demand; orders for the CLV validation; the texts for the "
        "review-text models) has moved more than this many days past its last run "
        "(incremental/backtest_cadence.py, incremental/text_cadence.py); 0 runs all four in "
        "every run. The forecast's band quantiles are calibrated on the same cadence "
        "(incremental/band_cadence.py).",
    )
    combine_top: PositiveInt = Field(
        5,
        description="The most models a demand-pattern class's forecast may combine. How many "
        "(1 to N), which, by their mean or their median (of 3 or more), or forecasting zero, "
        "is chosen per class on the backtest windows before the one being judged (nested: "
        "the holdout never chooses).",
    )
    engine: Literal["local", "dask", "ray"] = Field(
        "local",
        description="Where statsforecast fits the models: `local` in this process, `dask` on "
        "the Dask cluster at cluster_address (install the `dask` extra), `ray` on a Ray "
        "cluster (install the `ray` extra) through statsforecast's fugue backend. The "
        "results are the same on each.",
    )
    cluster_address: str | None = Field(
        None,
        description="The cluster of `engine`: the Dask scheduler (e.g. tcp://scheduler:8786, "
        "required for dask), or the Ray address as ray.init takes it (e.g. ray://head:10001 "
        "or auto; null: a Ray started in this process).",
    )

    @model_validator(mode="after")
    def _monthly_horizon_in_months(self) -> ForecastingSettings:
        if self.bucket == "month" and (self.horizon or 0) > MAX_MONTHLY_HORIZON:
            raise ValueError(
                f"horizon {self.horizon} counts months under bucket month ({self.horizon} months "
                f"ahead, and as long a backtest window): it looks like a day count. Set horizon "
                f"to months (e.g. 2 for about {DEFAULT_HORIZON_DAYS} days) or leave it unset"
            )
        return self

    @model_validator(mode="after")
    def _dask_needs_an_address(self) -> ForecastingSettings:
        if self.engine == "dask" and not self.cluster_address:
            raise ValueError("engine dask needs cluster_address (its scheduler)")
        return self

    @field_validator("trading_weekdays")
    @classmethod
    def _each_weekday_once(cls, days: tuple[int, ...]) -> tuple[int, ...]:
        if len(set(days)) != len(days):
            raise ValueError("names a weekday twice")
        return days


class ClvSettings(Section):
    """Customer lifetime value (BG/NBD and Gamma-Gamma)."""

    calibration_end: IsoDate | None = Field(
        None,
        description="Last day of the calibration period; null: the last third of the days "
        "from the first order day to the holdout end is the holdout.",
    )
    holdout_end: IsoDate | None = Field(
        None, description="Last day of the holdout period; null: the last order day."
    )
    time_unit: TimeUnit = Field(
        "W",
        description="Unit of recency and customer age: D (day), W (week) or M (month = "
        "365.25 / 12 days); day, week, month and plurals are accepted.",
    )
    horizon_days: PositiveInt = Field(
        365, description="CLV counts the purchases expected this many days ahead."
    )
    annual_discount_rate: Share = Field(
        0.10, description="Yearly rate future margin is discounted at."
    )
    gross_margin: Share = Field(0.30, description="Share of a purchase's value that is margin.")

    @model_validator(mode="after")
    def _calibration_before_holdout(self) -> ClvSettings:
        if self.calibration_end and self.holdout_end and self.calibration_end > self.holdout_end:
            raise ValueError(
                f"calibration_end {self.calibration_end} is after holdout_end {self.holdout_end}"
            )
        return self


class QualitySettings(Section):
    """Thresholds of the feed checks."""

    max_quarantine_share: Share = Field(
        0.05,
        description="Share of an export kind's rows (over the days a run loads) that may go to "
        "quarantine before the run stops: above it the feed is broken, not a little dirty.",
    )
    inventory_max_age_days: NonNegativeInt = Field(
        2,
        description="Days the newest inventory snapshot may be older than the newest order "
        "day; reorder quantities from older stock would order what is already there.",
    )
    export_max_lag_days: dict[
        Literal["orders", "traffic", "feedback", "inventory", "catalog", "shipments"],
        NonNegativeInt | None,
    ] = Field(
        default_factory=lambda: {
            "orders": 0,
            "traffic": 1,
            "feedback": 7,
            "inventory": 2,
            "catalog": None,
            "shipments": 3,
        },
        description="Days an export kind may lag the newest orders export before its freshness "
        "check warns; null: not judged (the catalog is a snapshot sent when it changes, not "
        "a daily feed). A kind left out keeps its default.",
    )

    @field_validator("export_max_lag_days", mode="before")
    @classmethod
    def _lags_over_default(cls, value: Any) -> Any:
        return cls.over_default("export_max_lag_days", value)


class Settings(Section):
    """Every section; a section the file leaves out keeps all its defaults."""

    ingest: IngestSettings = Field(default_factory=IngestSettings)
    history: HistorySettings = Field(default_factory=HistorySettings)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    traffic: TrafficSettings = Field(default_factory=TrafficSettings)
    forecasting: ForecastingSettings = Field(default_factory=ForecastingSettings)
    inventory: InventorySettings = Field(default_factory=InventorySettings)
    clv: ClvSettings = Field(default_factory=ClvSettings)
    quality: QualitySettings = Field(default_factory=QualitySettings)
    warehouse: WarehouseSettings = Field(default_factory=WarehouseSettings)
    alerts: AlertsSettings = Field(default_factory=AlertsSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    feedback: FeedbackSettings = Field(default_factory=FeedbackSettings)

    @model_validator(mode="before")
    @classmethod
    def _empty_sections_are_defaults(cls, values: Any) -> Any:
        # `inventory:` with nothing under it reads as None in YAML: all defaults.
        if isinstance(values, dict):
            return {name: {} if value is None else value for name, value in values.items()}
        return values
