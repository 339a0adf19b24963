"""When the customer models apply to a shop: enough customers to fit them, a prediction
that is a number, and a holdout error below the naive baseline's.

A shop where almost everyone buys once, or whose purchase rate changes over the year, can
be fitted without error and still be described worse by BG/NBD and Pareto/NBD than by each
customer simply repeating their own past rate. Their probability alive and CLV are then no
facts about the customers; the verdict and its reason go with every model row of the run.
"""

from __future__ import annotations

import numpy as np

from forecasting.clv.summary import ClvSummary

# Below these counts a maximum-likelihood fit says nothing: the model is reported as not
# fitted and the customers get no CLV rather than a number nobody could trust.
MIN_CUSTOMERS = 20
MIN_REPEAT_BUYERS = 10
# Fewer repeat purchases than this in the holdout check nothing: a model "beating" the
# baseline on a handful of purchases (or on none) is luck, not evidence that it fits.
MIN_HOLDOUT_REPEATS = 10
LABELS = {"bgnbd": "BG/NBD", "pareto_nbd": "Pareto/NBD"}


def fittable(summary: ClvSummary) -> str | None:
    """Why the purchase models cannot be fitted on this summary, or None when they can."""
    customers = summary.customers.height
    repeaters = int((summary.customers["frequency"] > 0).sum())
    if customers < MIN_CUSTOMERS or repeaters < MIN_REPEAT_BUYERS:
        return (
            f"not fitted: {customers:,} customers and {repeaters:,} repeat buyers "
            f"(needs {MIN_CUSTOMERS} and {MIN_REPEAT_BUYERS})"
        )
    return None


def failed_prediction(predicted: np.ndarray, params: dict[str, float]) -> str | None:
    """Why a fitted model's holdout prediction cannot be scored (some value is not a
    number), or None when every customer's prediction is finite."""
    bad = int((~np.isfinite(predicted)).sum())
    if not bad:
        return None
    shown = ", ".join(f"{k} = {v:.4g}" for k, v in params.items())
    return (
        f"out: its holdout prediction is not a number for {bad:,} of {len(predicted):,} "
        f"customers (parameters {shown})"
    )


def models_apply(rows: list[dict], has_holdout: bool) -> tuple[bool | None, str | None]:
    """Whether the purchase models describe the shop well enough to show their outputs.

    Args:
        rows: the calibration rows of the purchase models (model, log_likelihood,
            holdout_mae, naive_mae, holdout_predicted, holdout_actual, better_than_naive,
            selected, note).
        has_holdout: whether the split left a holdout period to score them on.

    Returns:
        (True, None) when a model beat the naive baseline on a holdout with enough repeat
        purchases to tell; (None, None) when there is no holdout; otherwise (False, the
        reason in words).
    """
    notes = "; ".join(dict.fromkeys(r["note"] for r in rows if r["note"]))
    if not any(r["log_likelihood"] is not None for r in rows):
        return False, notes
    if not has_holdout:
        return None, None
    scored = [r for r in rows if r["holdout_mae"] is not None]
    if not scored:
        return False, notes
    held = scored[0]["holdout_actual"]
    if held < MIN_HOLDOUT_REPEATS:
        return False, (
            f"the holdout holds {held:,.0f} repeat purchases of the calibration customers, too "
            f"few to check the models against (needs {MIN_HOLDOUT_REPEATS})"
        )
    if any(r["better_than_naive"] for r in scored):
        return True, None
    errors = " and ".join(f"{LABELS[r['model']]} {r['holdout_mae']:.3f}" for r in scored)
    reason = (
        "no model predicted each customer's holdout repeat purchases better than the naive "
        "baseline, every customer repeating their own calibration rate (mean absolute error "
        f"per customer: {errors}; naive {scored[0]['naive_mae']:.3f})"
    )
    kept = next((r for r in scored if r["selected"]), None)
    if kept and kept["holdout_actual"]:
        change = 100 * (kept["holdout_predicted"] / kept["holdout_actual"] - 1)
        reason += (
            f"; {LABELS[kept['model']]} expected {kept['holdout_predicted']:,.0f} repeat "
            f"purchases in the holdout and {kept['holdout_actual']:,.0f} happened ({change:+.0f} %)"
        )
    return False, reason
