"""Fit, validate, choose and score: the CLV tables of one run from the staged order lines.

1. Calibration summary up to `calibration_end`; BG/NBD and Pareto/NBD are fitted on it and
   predict each customer's repeat purchases in the holdout; the naive baseline too. A model
   whose prediction is not a number for some customer is out (never scored as zero).
   Gamma-Gamma is fitted on the calibration window as well and predicts the holdout spend.
2. The model with the lower per-customer mean absolute holdout error is kept (BG/NBD on a
   tie within 0.1 %; with no holdout: the higher log-likelihood); a model not better than
   the baseline is flagged, and when none is better the run records that the models do
   not apply to this shop, and why (forecasting/clv/applicability.py).
3. The kept model and Gamma-Gamma are refitted on the whole history up to `holdout_end`,
   so customers first seen in the holdout are scored too, and give the per-customer values.

Steps 1-2 are `validate`, step 3 `score`; a run that keeps an earlier validation (on the
backtests' cadence, assets/clv_validation.py) does step 3 only (`build_scored_tables`).
Both start from one grouping of the order lines into purchase days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import polars as pl

from forecasting.clv import gamma_gamma
from forecasting.clv.applicability import failed_prediction, fittable, models_apply
from forecasting.clv.model_rows import MODEL_SCHEMA, model_row
from forecasting.clv.scoring import PURCHASE_MODELS, score_customers
from forecasting.clv.spend import fit_spend, holdout_spend_errors
from forecasting.clv.summary import ClvSummary, PurchaseDays, purchase_days, summarise
from forecasting.clv.validation import (
    NAIVE,
    conditional_expectation,
    cumulative_tracking,
    holdout_errors,
    naive_predictions,
    summary_arrays,
)

TIE_TOLERANCE = 1e-3


@dataclass(frozen=True)
class ClvTables:
    """What one run writes: customer_clv (one row per customer), models (one row per model
    and fit window), tracking and conditional (validation), and the model kept."""

    customer_clv: pl.DataFrame
    models: pl.DataFrame
    tracking: pl.DataFrame | None  # None: the run kept the last validation's tables
    conditional: pl.DataFrame | None
    validation: ClvValidation
    guest_orders: int

    @property
    def selected(self) -> str | None:
        return self.validation.selected


def _validate(calibration: ClvSummary) -> tuple[list[dict], dict, dict[str, np.ndarray]]:
    """Fit both purchase models on the calibration summary and score them on the holdout."""
    x, t_x, T = summary_arrays(calibration)
    actual = calibration.customers["holdout_frequency"].to_numpy().astype(float)
    has_holdout = calibration.holdout_length > 0
    naive = holdout_errors(naive_predictions(calibration), actual) if has_holdout else None
    predictions = {NAIVE: naive_predictions(calibration)} if has_holdout else {}
    rows, fitted = [], {}
    reason = fittable(calibration)
    for name, module in PURCHASE_MODELS.items():
        fit = None if reason else module.fit(x, t_x, T)
        errors, failure = None, None
        if fit and has_holdout:
            predicted = module.expected_purchases(fit.params, calibration.holdout_length, x, t_x, T)
            failure = failed_prediction(predicted, fit.params)
            if failure is None:
                predictions[name] = predicted
                errors = holdout_errors(predicted, actual)
        if fit and failure is None:
            fitted[name] = (module, fit.params)
        row = model_row(fit, name, "calibration", calibration, reason or failure)
        row.update(
            {
                "holdout_predicted": errors["predicted"] if errors else None,
                "holdout_actual": float(actual.sum()) if has_holdout else None,
                "holdout_mae": errors["mae"] if errors else None,
                "holdout_rmse": errors["rmse"] if errors else None,
                "holdout_total_error_pct": _finite(errors["total_error_pct"]) if errors else None,
                "naive_predicted": naive["predicted"] if naive else None,
                "naive_mae": naive["mae"] if naive else None,
                "better_than_naive": beats_naive(errors, naive),
            }
        )
        rows.append(row)
    return rows, fitted, predictions


def beats_naive(errors: dict | None, naive: dict | None) -> bool | None:
    """Whether a model's holdout MAE is below the naive baseline's (None when either is
    missing). A tie is not better: a model no better than each customer repeating their
    own calibration rate must not make the models apply."""
    return errors["mae"] < naive["mae"] if errors and naive else None


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _validate_spend(calibration: ClvSummary) -> dict:
    """Gamma-Gamma fitted on the calibration window, scored on the holdout spend."""
    x = calibration.customers["frequency"].to_numpy().astype(float)
    spend = calibration.customers["monetary_value"].to_numpy().astype(float)
    fit, reason = fit_spend(x, spend)
    row = model_row(fit, gamma_gamma.NAME, "calibration", calibration, reason)
    return {**row, **holdout_spend_errors(fit, calibration), "selected": None}


def select_model(rows: list[dict]) -> str | None:
    """The purchase model to keep from the calibration rows (model, log_likelihood,
    holdout_mae, holdout_actual); None when neither was fitted. With a holdout only a model
    with a finite holdout error can be kept (one whose prediction failed has none)."""
    fitted = [r for r in rows if r["log_likelihood"] is not None]
    scored = [r for r in fitted if r["holdout_mae"] is not None and math.isfinite(r["holdout_mae"])]
    if scored:
        best = min(r["holdout_mae"] for r in scored)
        # Errors within 0.1 % are a tie (both models can collapse to the same no-dropout NBD,
        # as on Online Retail); the first model, BG/NBD, wins it: it refits faster and a
        # tie must not flip the kept model from run to run on the fifth digit.
        return next(r["model"] for r in scored if r["holdout_mae"] <= best * (1 + TIE_TOLERANCE))
    if not fitted or any(r.get("holdout_actual") is not None for r in fitted):
        return None  # nothing fitted, or every fitted model failed on the holdout
    return max(fitted, key=lambda r: r["log_likelihood"])["model"]


@dataclass(frozen=True)
class ClvValidation:
    """What a validation decides and what scoring needs from it: the model kept, the run's
    verdict on whether the models apply, its split, and each calibration customer's holdout
    repeat purchases, actual and as the kept model predicted (customer_key,
    holdout_actual, holdout_predicted). A night that keeps the last validation reads it
    back from the warehouse (assets/clv_validation.py)."""

    selected: str | None
    models_apply: bool | None
    not_applicable_because: str | None
    calibration_end: date
    holdout_end: date
    holdout: pl.DataFrame


@dataclass(frozen=True)
class ScoringSettings:
    """The clv settings scoring and the model rows read: unit, horizon, discount, margin."""

    time_unit: str
    horizon_days: int
    annual_discount_rate: float
    gross_margin: float


def validate(
    days: PurchaseDays, calibration_end: date, holdout_end: date, time_unit: str
) -> tuple[ClvValidation, list[dict], pl.DataFrame, pl.DataFrame]:
    """Fit every model on the calibration window, score it on the holdout and choose.

    Args:
        days: the purchase days and guest orders (forecasting.clv.summary.purchase_days).
        calibration_end, holdout_end: the validation split (inclusive last days).
        time_unit: D, W or M.

    Returns:
        (the validation; the calibration rows of clv_model, purchase models and Gamma-Gamma,
        without the run's verdict columns; clv_tracking; clv_conditional).
    """
    calibration = summarise(*days, calibration_end, holdout_end, time_unit)
    rows, fitted, predictions = _validate(calibration)
    selected = select_model(rows)
    for row in rows:
        row["selected"] = row["model"] == selected
    applies, because = models_apply(rows, calibration.holdout_length > 0)
    holdout = calibration.customers.select(
        "customer_key",
        pl.col("holdout_frequency").alias("holdout_actual"),
        pl.Series(
            "holdout_predicted",
            predictions.get(selected, [None] * calibration.customers.height),
            dtype=pl.Float64,
        ),
    )
    validation = ClvValidation(selected, applies, because, calibration_end, holdout_end, holdout)
    return (
        validation,
        [*rows, _validate_spend(calibration)],
        cumulative_tracking(calibration, fitted),
        conditional_expectation(calibration, predictions),
    )


def score(
    days: PurchaseDays,
    validation: ClvValidation,
    holdout_end: date,
    options: ScoringSettings,
) -> tuple[pl.DataFrame, list[dict]]:
    """customer_clv and the full-window rows of clv_model: the validation's kept model and
    Gamma-Gamma refitted on the whole history up to `holdout_end` (today's, which on a
    night that keeps an earlier validation is later than the validation's)."""
    full = summarise(*days, holdout_end, holdout_end, options.time_unit)
    customers, rows = score_customers(
        full,
        validation.selected,
        options.horizon_days,
        options.annual_discount_rate,
        options.gross_margin,
    )
    return customers.join(validation.holdout, on="customer_key", how="left"), rows


def model_frame(
    rows: list[dict], validation: ClvValidation, options: ScoringSettings, run_at: datetime
) -> pl.DataFrame:
    """The clv_model rows of one run, each with the validation's verdict and the settings."""
    return pl.DataFrame(rows, schema=MODEL_SCHEMA).with_columns(
        models_apply=pl.lit(validation.models_apply, dtype=pl.Boolean),
        not_applicable_because=pl.lit(validation.not_applicable_because, dtype=pl.String),
        clv_horizon_days=pl.lit(options.horizon_days, dtype=pl.Int64),
        annual_discount_rate=pl.lit(options.annual_discount_rate, dtype=pl.Float64),
        gross_margin=pl.lit(options.gross_margin, dtype=pl.Float64),
        run_at=pl.lit(run_at),
    )


def build_clv_tables(
    order_lines: pl.DataFrame,
    calibration_end: date,
    holdout_end: date,
    time_unit: str,
    horizon_days: int,
    annual_discount_rate: float,
    gross_margin: float,
    run_at: datetime,
) -> ClvTables:
    """All CLV tables of one run that validates.

    Args:
        order_lines: staging order lines (see forecasting.clv.summary.purchase_days).
        calibration_end, holdout_end: the validation split (inclusive last days).
        time_unit: D, W or M.
        horizon_days, annual_discount_rate, gross_margin: the CLV settings.
        run_at: timestamp recorded with every model row.

    Returns:
        The ClvTables; customer outputs are NULL when no model could be fitted.
    """
    options = ScoringSettings(time_unit, horizon_days, annual_discount_rate, gross_margin)
    # Grouped once: the calibration and the full summary both start from these days.
    days = purchase_days(order_lines)
    validation, rows, tracking, conditional = validate(
        days, calibration_end, holdout_end, time_unit
    )
    customers, full_rows = score(days, validation, holdout_end, options)
    return ClvTables(
        customer_clv=customers,
        models=model_frame([*rows, *full_rows], validation, options, run_at),
        tracking=tracking,
        conditional=conditional,
        validation=validation,
        guest_orders=days[1],
    )


def build_scored_tables(
    order_lines: pl.DataFrame,
    validation: ClvValidation,
    holdout_end: date,
    options: ScoringSettings,
    run_at: datetime,
) -> ClvTables:
    """The CLV tables of a run that keeps an earlier validation: customer_clv and the
    full-window rows of clv_model, scored with the validation's kept model; no tracking or
    conditional tables (the kept ones stay).

    Args:
        order_lines: staging order lines (see forecasting.clv.summary.purchase_days).
        validation: the kept validation.
        holdout_end: the last day of the whole history scored now.
        options: the clv settings scoring reads.
        run_at: timestamp recorded with the model rows.
    """
    days = purchase_days(order_lines)
    customers, rows = score(days, validation, holdout_end, options)
    return ClvTables(
        customer_clv=customers,
        models=model_frame(rows, validation, options, run_at),
        tracking=None,
        conditional=None,
        validation=validation,
        guest_orders=days[1],
    )
