"""Fit, validate, choose and score: the CLV tables of one run from the staged order lines.

1. Calibration summary up to `calibration_end`; BG/NBD and Pareto/NBD are fitted on it and
   predict each customer's repeat purchases in the holdout; the naive baseline too.
2. The model with the lower per-customer mean absolute holdout error is kept (BG/NBD on a
   tie within 0.1 %; with no holdout: the higher log-likelihood); a model not better than
   the baseline is flagged.
3. The kept model and Gamma-Gamma are refitted on the whole history up to `holdout_end`,
   so customers first seen in the holdout are scored too, and give the per-customer values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import polars as pl

from forecasting.clv import bgnbd, gamma_gamma, pareto_nbd
from forecasting.clv.fitting import FitResult
from forecasting.clv.summary import ClvSummary, clv_summary, unit_days
from forecasting.clv.validation import (
    NAIVE,
    conditional_expectation,
    cumulative_tracking,
    holdout_errors,
    naive_predictions,
    summary_arrays,
)
from forecasting.clv.value import lifetime_value

PURCHASE_MODELS = {bgnbd.NAME: bgnbd, pareto_nbd.NAME: pareto_nbd}
# Below these counts a maximum-likelihood fit says nothing: the model is reported as not
# fitted and the customers get no CLV rather than a number nobody could trust.
MIN_CUSTOMERS = 20
MIN_REPEAT_BUYERS = 10
EXPECTED_PURCHASE_DAYS = (30, 90, 365)
TIE_TOLERANCE = 1e-3


@dataclass(frozen=True)
class ClvTables:
    """What one run writes: customer_clv (one row per customer), models (one row per model
    and fit window), tracking and conditional (validation), and the model kept."""

    customer_clv: pl.DataFrame
    models: pl.DataFrame
    tracking: pl.DataFrame
    conditional: pl.DataFrame
    selected: str | None
    calibration: ClvSummary


def _fittable(summary: ClvSummary) -> str | None:
    """Why the purchase models cannot be fitted on this summary, or None when they can."""
    customers = summary.customers.height
    repeaters = int((summary.customers["frequency"] > 0).sum()) if customers else 0
    if customers < MIN_CUSTOMERS or repeaters < MIN_REPEAT_BUYERS:
        return (
            f"not fitted: {customers} customers and {repeaters} repeat buyers "
            f"(needs {MIN_CUSTOMERS} and {MIN_REPEAT_BUYERS})"
        )
    return None


def _model_row(
    fit: FitResult | None, name: str, window: str, summary: ClvSummary, note: str | None
) -> dict:
    return {
        "model": name,
        "fit_window": window,
        "parameters": json.dumps({k: round(v, 6) for k, v in fit.params.items()}) if fit else None,
        "log_likelihood": fit.log_likelihood if fit else None,
        "customers": fit.customers if fit else summary.customers.height,
        "converged": fit.converged if fit else None,
        "fit_seconds": fit.fit_seconds if fit else None,
        "note": note or (None if fit is None or fit.converged else fit.message),
        "calibration_end": summary.calibration_end,
        "holdout_end": summary.holdout_end,
        "time_unit": summary.time_unit,
        "guest_orders_excluded": summary.guest_orders,
    }


def _validate(calibration: ClvSummary) -> tuple[list[dict], dict, dict[str, np.ndarray]]:
    """Fit both purchase models on the calibration summary and score them on the holdout."""
    x, t_x, T = summary_arrays(calibration)
    actual = calibration.customers["holdout_frequency"].to_numpy().astype(float)
    has_holdout = calibration.holdout_length > 0
    naive = holdout_errors(naive_predictions(calibration), actual) if has_holdout else None
    predictions = {NAIVE: naive_predictions(calibration)} if has_holdout else {}
    rows, fitted = [], {}
    reason = _fittable(calibration)
    for name, module in PURCHASE_MODELS.items():
        fit = None if reason else module.fit(x, t_x, T)
        row = _model_row(fit, name, "calibration", calibration, reason)
        errors = None
        if fit and has_holdout:
            predicted = module.expected_purchases(fit.params, calibration.holdout_length, x, t_x, T)
            predictions[name] = predicted
            errors = holdout_errors(predicted, actual)
        if fit:
            fitted[name] = (module, fit.params)
        row.update(
            {
                "holdout_predicted": errors["predicted"] if errors else None,
                "holdout_actual": float(actual.sum()) if has_holdout else None,
                "holdout_mae": errors["mae"] if errors else None,
                "holdout_rmse": errors["rmse"] if errors else None,
                "holdout_total_error_pct": errors["total_error_pct"] if errors else None,
                "naive_predicted": naive["predicted"] if naive else None,
                "naive_mae": naive["mae"] if naive else None,
                "better_than_naive": (errors["mae"] < naive["mae"]) if errors and naive else None,
            }
        )
        rows.append(row)
    return rows, fitted, predictions


def select_model(rows: list[dict]) -> str | None:
    """The purchase model to keep from the calibration rows (model, log_likelihood,
    holdout_mae); None when neither was fitted."""
    fitted = [r for r in rows if r["log_likelihood"] is not None]
    if not fitted:
        return None
    if all(r["holdout_mae"] is not None for r in fitted):
        best = min(r["holdout_mae"] for r in fitted)
        # Errors within 0.1 % are a tie (both models can collapse to the same no-dropout NBD,
        # as on Online Retail); the first model, BG/NBD, wins it: it refits faster and a
        # tie must not flip the kept model from run to run on the fifth digit.
        return next(r["model"] for r in fitted if r["holdout_mae"] <= best * (1 + TIE_TOLERANCE))
    return max(fitted, key=lambda r: r["log_likelihood"])["model"]


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
    """All CLV tables of one run.

    Args:
        order_lines: staging order lines (see forecasting.clv.summary.purchase_days).
        calibration_end, holdout_end: the validation split (inclusive last days).
        time_unit: D, W or M.
        horizon_days, annual_discount_rate, gross_margin: the CLV settings.
        run_at: timestamp recorded with every model row.

    Returns:
        The ClvTables; customer outputs are NULL when no model could be fitted.
    """
    calibration = clv_summary(order_lines, calibration_end, holdout_end, time_unit)
    rows, fitted, predictions = _validate(calibration)
    selected = select_model(rows)
    for row in rows:
        row["selected"] = row["model"] == selected
    full = clv_summary(order_lines, holdout_end, holdout_end, time_unit)
    customers, full_rows = _score(full, selected, horizon_days, annual_discount_rate, gross_margin)
    customers = customers.join(
        calibration.customers.select(
            "customer_key",
            pl.col("holdout_frequency").alias("holdout_actual"),
            pl.Series(
                "holdout_predicted",
                predictions.get(selected, [None] * calibration.customers.height),
                dtype=pl.Float64,
            ),
        ),
        on="customer_key",
        how="left",
    )
    models = pl.DataFrame([*rows, *full_rows], schema=MODEL_SCHEMA).with_columns(
        clv_horizon_days=pl.lit(horizon_days, dtype=pl.Int64),
        annual_discount_rate=pl.lit(annual_discount_rate, dtype=pl.Float64),
        gross_margin=pl.lit(gross_margin, dtype=pl.Float64),
        run_at=pl.lit(run_at),
    )
    return ClvTables(
        customer_clv=customers,
        models=models,
        tracking=cumulative_tracking(calibration, fitted),
        conditional=conditional_expectation(calibration, predictions),
        selected=selected,
        calibration=calibration,
    )


def _score(
    full: ClvSummary, selected: str | None, horizon_days: int, discount: float, margin: float
):
    """Refit the kept model and Gamma-Gamma on the whole history; per-customer outputs."""
    x, t_x, T = summary_arrays(full)
    spend = full.customers["monetary_value"].to_numpy().astype(float)
    reason = (
        _fittable(full) if selected else "not fitted: no purchase model was fitted in calibration"
    )
    fit = None if reason else PURCHASE_MODELS[selected].fit(x, t_x, T)
    repeaters = int(((x > 0) & (spend > 0)).sum())
    spend_reason = (
        None
        if repeaters >= MIN_REPEAT_BUYERS
        else (
            f"not fitted: {repeaters} repeat buyers with positive spend (needs {MIN_REPEAT_BUYERS})"
        )
    )
    spend_fit = None if spend_reason else gamma_gamma.fit(x, spend)
    if spend_fit and spend_fit.params["q"] <= 1:
        spend_reason, spend_fit = (
            f"not usable: q = {spend_fit.params['q']:.3f} <= 1 has no finite mean spend",
            None,
        )
    rows = [
        {**_model_row(fit, selected or "none", "full", full, reason), "selected": fit is not None},
        {
            **_model_row(spend_fit, gamma_gamma.NAME, "full", full, spend_reason),
            "selected": spend_fit is not None,
        },
    ]
    n = full.customers.height
    none = np.full(n, np.nan)
    outputs = {"p_alive": none}
    outputs |= {f"expected_purchases_{d}d": none for d in EXPECTED_PURCHASE_DAYS}
    outputs |= {"expected_avg_spend": none, "clv": none}
    if fit:
        module, days = PURCHASE_MODELS[selected], unit_days(full.time_unit)
        outputs["p_alive"] = module.probability_alive(fit.params, x, t_x, T)
        for d in EXPECTED_PURCHASE_DAYS:
            outputs[f"expected_purchases_{d}d"] = module.expected_purchases(
                fit.params, d / days, x, t_x, T
            )
        if spend_fit:
            outputs["expected_avg_spend"] = gamma_gamma.expected_spend(spend_fit.params, x, spend)
            outputs["clv"] = lifetime_value(
                lambda t: module.expected_purchases(fit.params, t, x, t_x, T),
                outputs["expected_avg_spend"],
                horizon_days,
                discount,
                margin,
                days,
            )
    customers = (
        full.customers.select(
            "customer_key", "first_purchase", "frequency", "recency", "T", "monetary_value"
        )
        .with_columns(
            [pl.Series(k, v, dtype=pl.Float64).fill_nan(None) for k, v in outputs.items()]
        )
        .with_columns(
            clv_decile=pl.when(pl.col("clv").is_not_null()).then(
                (pl.col("clv").rank("ordinal") * 10 / pl.col("clv").count()).ceil().cast(pl.Int32)
            ),
            model=pl.lit(selected if fit else None, dtype=pl.String),
            time_unit=pl.lit(full.time_unit),
        )
    )
    return customers, rows


MODEL_SCHEMA = {
    "model": pl.String,
    "fit_window": pl.String,
    "parameters": pl.String,
    "log_likelihood": pl.Float64,
    "customers": pl.Int64,
    "converged": pl.Boolean,
    "fit_seconds": pl.Float64,
    "note": pl.String,
    "calibration_end": pl.Date,
    "holdout_end": pl.Date,
    "time_unit": pl.String,
    "guest_orders_excluded": pl.Int64,
    "holdout_predicted": pl.Float64,
    "holdout_actual": pl.Float64,
    "holdout_mae": pl.Float64,
    "holdout_rmse": pl.Float64,
    "holdout_total_error_pct": pl.Float64,
    "naive_predicted": pl.Float64,
    "naive_mae": pl.Float64,
    "better_than_naive": pl.Boolean,
    "selected": pl.Boolean,
}
