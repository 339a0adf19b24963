"""The rows of marts.clv_model: one per run, model and fit window, with the fit, its
holdout errors and the run's verdict on whether the models apply."""

from __future__ import annotations

import json

import polars as pl

from forecasting.clv.fitting import FitResult
from forecasting.clv.summary import ClvSummary

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
    "holdout_spend_customers": pl.Int64,
    "holdout_spend_predicted": pl.Float64,
    "holdout_spend_actual": pl.Float64,
    "holdout_spend_mae": pl.Float64,
    "naive_spend_mae": pl.Float64,
    "models_apply": pl.Boolean,
    "not_applicable_because": pl.String,
}


def model_row(
    fit: FitResult | None, name: str, window: str, summary: ClvSummary, note: str | None
) -> dict:
    """The identifying and fit columns of one model's row; the error columns are added by
    the caller. `note` says why the model was not fitted or not used; a fit that did not
    converge says so when there is no other note."""
    converged_note = (
        None if fit is None or fit.converged else f"not converged ({fit.message.strip(': ')})"
    )
    return {
        "model": name,
        "fit_window": window,
        "parameters": json.dumps({k: round(v, 6) for k, v in fit.params.items()}) if fit else None,
        "log_likelihood": fit.log_likelihood if fit else None,
        "customers": fit.customers if fit else summary.customers.height,
        "converged": fit.converged if fit else None,
        "fit_seconds": fit.fit_seconds if fit else None,
        "note": note or converged_note,
        "calibration_end": summary.calibration_end,
        "holdout_end": summary.holdout_end,
        "time_unit": summary.time_unit,
        "guest_orders_excluded": summary.guest_orders,
    }
