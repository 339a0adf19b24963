"""The customer-lifetime-value section of the customers page: KPIs, value by decile,
holdout tracking, conditional expectation and the model comparison table."""

from __future__ import annotations

import duckdb
import polars as pl

from reports.pages.customers import clv_figures, clv_queries
from reports.site import layout
from reports.site.format import fmt_int, fmt_money, fmt_number, fmt_pct, fmt_text
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
        calibration.filter(calibration["selected"]) if not calibration.is_empty() else calibration
    )
    horizon = models["clv_horizon_days"][0] if not models.is_empty() else None
    time_unit = models["time_unit"][0] if not models.is_empty() else None
    deciles = clv_figures.clv_deciles(clv_queries.clv_by_decile(con), horizon)
    tracking = clv_figures.clv_tracking(clv_queries.clv_tracking(con), time_unit)
    conditional = clv_figures.clv_conditional(clv_queries.clv_conditional(con))
    return f"""<h2>Customer lifetime value</h2>
{_tiles(clv_queries.clv_kpis(con), kept, horizon)}
{_naive_flag(calibration)}
{chart(deciles, "chart-clv-deciles", NO_CLV)}
<div class="grid2">
{chart(tracking, "chart-clv-tracking", NO_CLV_RUN)}
{chart(conditional, "chart-clv-conditional", NO_CLV_RUN)}
</div>
<p class="meta">BG/NBD and Pareto/NBD are fitted on the calibration period and predict each
customer's repeat purchases (purchase days) in the holdout; the one with the lower mean absolute
error per customer is kept, refitted on all history and, with Gamma-Gamma for spend, gives each
customer's CLV: margin x expected spend x expected purchases, discounted monthly.</p>
<h2>CLV models</h2>
{table(models, MODEL_COLUMNS, "No CLV model run yet: marts.clv_model is empty.")}"""
