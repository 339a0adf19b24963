"""The customer-lifetime-value section of the customers page: KPIs, value by decile,
holdout tracking, conditional expectation and the model comparison table; where the models
do not apply to the shop, a notice of why and the figures that hold instead
(clv_limits.py)."""

from __future__ import annotations

import duckdb
import polars as pl

from reports.pages.customers import clv_figures, clv_queries
from reports.pages.customers.clv_limits import does_not_apply, models_apply
from reports.site import layout
from reports.site.currency import currency_code
from reports.site.format import esc, fmt_int, fmt_money, fmt_number, fmt_pct, fmt_text
from reports.site.layout import chart, kpi_tiles, table

NO_CLV = "No customer has a CLV: marts.customer_clv has no fitted model (too few customers or repeat buyers)."
NO_CLV_RUN = "No CLV validation yet: marts.clv_tracking is empty (no model was fitted)."


def _yes_no(value: object) -> str:
    return "–" if value is None else ("yes" if value else "NO")


MODEL_COLUMNS: tuple[layout.Column, ...] = (
    ("model", "Model", lambda v: clv_figures.MODEL_LABELS.get(v, fmt_text(v)), "txt"),
    ("fit_window", "Fitted on", fmt_text, "txt"),
    ("parameters", "Parameters", fmt_text, "mid"),
    ("log_likelihood", "Log-likelihood", lambda v: fmt_number(v, 1), "num"),
    ("customers", "Customers", fmt_int, "num"),
    ("holdout_predicted", "Holdout predicted", lambda v: fmt_number(v, 0), "num"),
    ("holdout_actual", "Holdout actual", lambda v: fmt_number(v, 0), "num"),
    ("holdout_mae", "MAE per customer", lambda v: fmt_number(v, 3), "num"),
    ("naive_predicted", "Naive predicted", lambda v: fmt_number(v, 0), "num"),
    ("naive_mae", "Naive MAE", lambda v: fmt_number(v, 3), "num"),
    ("better_than_naive", "Better than naive", _yes_no, "txt"),
    ("selected", "Kept", _yes_no, "txt"),
    ("holdout_spend_mae", "Spend MAE", lambda v: fmt_number(v, 2), "num"),
    ("naive_spend_mae", "Naive spend MAE", lambda v: fmt_number(v, 2), "num"),
    ("note", "Note", fmt_text, "mid"),
)


def _tiles(k: dict, kept: pl.DataFrame, horizon: int | None) -> str:
    """The CLV KPI tiles; `kept` is the calibration row of the model kept (if any)."""
    holdout = (
        "–"
        if kept.is_empty()
        else (
            f"{fmt_number(kept['holdout_predicted'][0], 0)} vs {fmt_number(kept['holdout_actual'][0], 0)}"
        )
    )
    return kpi_tiles(
        [
            ("clv_customers", "Customers valued", fmt_int(k["valued"]), "with a fitted CLV"),
            (
                "total_clv",
                "Total CLV",
                fmt_money(k["total_clv"]),
                f"margin, next {fmt_int(horizon)} days, discounted",
            ),
            ("mean_clv", "Mean CLV", fmt_money(k["mean_clv"]), "per customer"),
            (
                "mean_p_alive",
                "Probability alive",
                fmt_pct(k["mean_p_alive"]),
                "mean over customers",
            ),
            (
                "clv_model",
                "Model kept",
                clv_figures.MODEL_LABELS.get(k["model"], fmt_text(k["model"]) or "none"),
                "lower holdout error",
            ),
            (
                "clv_holdout",
                "Holdout repeat purchases",
                holdout,
                "predicted vs actual (kept model)",
            ),
        ]
    )


def _naive_flag(calibration: pl.DataFrame) -> str:
    """A warning naming the models that did not beat the naive baseline, or ''."""
    flagged = (
        calibration.filter(calibration["better_than_naive"].not_())
        if not calibration.is_empty()
        else calibration
    )
    if flagged.is_empty():
        return ""
    return (
        '<p class="meta" data-flag="not-better-than-naive"><strong>Flag:</strong> '
        + ", ".join(clv_figures.MODEL_LABELS.get(m, m) for m in flagged["model"])
        + " did not beat the naive baseline (each customer repeating their calibration rate) on the"
        " per-customer holdout error: treat its CLV ranking with care.</p>"
    )


def _no_clv_message(models: pl.DataFrame) -> str:
    """Why no customer has a CLV: the recorded note of the model that is missing."""
    full = models.filter(models["fit_window"] == "full") if not models.is_empty() else models
    notes = [
        f"{clv_figures.MODEL_LABELS.get(m, m)} {n}"
        for m, n in zip(full["model"], full["note"], strict=True)
        if n
    ]
    return f"No customer has a CLV: {'; '.join(notes)}." if notes else NO_CLV


def _spend_validation(models: pl.DataFrame) -> str:
    """One sentence on Gamma-Gamma fitted on the calibration window and its holdout spend."""
    rows = (
        models.filter((models["fit_window"] == "calibration") & (models["model"] == "gamma_gamma"))
        if not models.is_empty() and "holdout_spend_mae" in models.columns
        else pl.DataFrame()
    )
    if rows.is_empty():
        return ""
    r = rows.row(0, named=True)
    if r["holdout_spend_mae"] is None:
        text = f"Gamma-Gamma on the calibration window: {r['note'] or 'no holdout purchases to check'}."
    else:
        text = (
            f"Gamma-Gamma, fitted on the calibration window, expected a mean spend per purchase"
            f" of {fmt_money(r['holdout_spend_predicted'])} for the"
            f" {fmt_int(r['holdout_spend_customers'])} customers who bought in the holdout; they"
            f" spent {fmt_money(r['holdout_spend_actual'])} (mean absolute error per customer"
            f" {fmt_money(r['holdout_spend_mae'])}; naive, each customer's own calibration mean:"
            f" {fmt_money(r['naive_spend_mae'])})."
        )
    return f'<p class="meta" data-clv="spend-validation">{esc(text)}</p>'


def clv_section(con: duckdb.DuckDBPyConnection) -> str:
    """The lifetime-value part of the customers page.

    Args:
        con: open connection to the warehouse.

    Returns:
        An HTML fragment starting with its heading.
    """
    models = clv_queries.clv_models(con)
    calibration = (
        models.filter(models["fit_window"] == "calibration") if not models.is_empty() else models
    )
    kept = (
        calibration.filter(calibration["selected"].fill_null(False))
        if not calibration.is_empty()
        else calibration
    )
    horizon = models["clv_horizon_days"][0] if not models.is_empty() else None
    time_unit = models["time_unit"][0] if not models.is_empty() else None
    if models_apply(models) is False:
        head = does_not_apply(con, models)
    else:
        deciles = clv_figures.clv_deciles(
            clv_queries.clv_by_decile(con), horizon, currency_code(con)
        )
        head = f"""{_tiles(clv_queries.clv_kpis(con), kept, horizon)}
{_naive_flag(calibration)}
{chart(deciles, "chart-clv-deciles", _no_clv_message(models))}"""
    tracking = clv_figures.clv_tracking(clv_queries.clv_tracking(con), time_unit)
    conditional = clv_figures.clv_conditional(clv_queries.clv_conditional(con))
    return f"""<h2>Customer lifetime value</h2>
{head}
<div class="grid2">
{chart(tracking, "chart-clv-tracking", NO_CLV_RUN)}
{chart(conditional, "chart-clv-conditional", NO_CLV_RUN)}
</div>
<p class="meta">BG/NBD and Pareto/NBD are fitted on the calibration period and predict each
customer's repeat purchases (purchase days) in the holdout; the one with the lower mean absolute
error per customer is kept, refitted on all history and, with Gamma-Gamma for spend, gives each
customer's CLV: margin x expected spend x expected purchases, discounted monthly. When neither
predicts the holdout better than the naive baseline, the models do not apply to the shop and
their probability alive and CLV are not shown.</p>
{_spend_validation(models)}
<h2>CLV models</h2>
{table(models, MODEL_COLUMNS, "No CLV model run yet: marts.clv_model is empty.")}"""
