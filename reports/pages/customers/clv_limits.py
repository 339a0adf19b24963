"""What the customers page says when the customer models do not apply to the shop: why
(from marts.clv_model and the buyers in marts.customers), and what holds without them (the
share buying once, spend per customer and per order, the holdout's repeat purchases; the
repeat-customer rate heads the page)."""

from __future__ import annotations

import duckdb
import polars as pl

from reports.pages.customers import clv_queries
from reports.pages.customers.clv_figures import MODEL_LABELS
from reports.site.format import esc, fmt_int, fmt_money, fmt_number, fmt_pct
from reports.site.layout import kpi_tiles

# From this share of one-time buyers on, it is named first among the reasons.
ONE_TIME_SHARE_NAMED = 0.5


def models_apply(models: pl.DataFrame) -> bool | None:
    """The run's verdict: True when a purchase model beat the naive baseline, False when
    none did or none could be fitted, None without a run or a holdout to tell."""
    if models.is_empty() or "models_apply" not in models.columns:
        return None
    return models["models_apply"][0]


def why_not(models: pl.DataFrame, facts: dict) -> str:
    """The reasons the models do not apply, in words: the share of one-time buyers when
    most buy once, then the run's recorded reason."""
    reasons = []
    if (facts["one_time_share"] or 0) >= ONE_TIME_SHARE_NAMED:
        reasons.append(
            f"{fmt_pct(facts['one_time_share'])} of customers bought only once "
            f"({fmt_int(facts['one_time_buyers'])} of {fmt_int(facts['buyers'])})"
        )
    recorded = models["not_applicable_because"][0]
    if recorded:
        reasons.append(recorded)
    return "; ".join(reasons) or "no reason was recorded"


def _holdout_tile(models: pl.DataFrame) -> tuple[str, str, str, str]:
    purchase = models.filter(
        (pl.col("fit_window") == "calibration") & pl.col("model").is_in(["bgnbd", "pareto_nbd"])
    )
    if purchase.is_empty() or purchase["holdout_actual"][0] is None:
        return ("clv_holdout", "Holdout repeat purchases", "–", "no holdout")
    scored = purchase.filter(pl.col("holdout_predicted").is_not_null())
    models_said = ", ".join(
        f"{MODEL_LABELS[m]} {fmt_number(p, 0)}"
        for m, p in zip(scored["model"], scored["holdout_predicted"], strict=True)
    )
    return (
        "clv_holdout",
        "Holdout repeat purchases",
        fmt_number(purchase["holdout_actual"][0], 0),
        f"actual; naive {fmt_number(purchase['naive_predicted'][0], 0)}"
        + (f", {models_said}" if models_said else ""),
    )


def does_not_apply(con: duckdb.DuckDBPyConnection, models: pl.DataFrame) -> str:
    """The notice that replaces probability alive and CLV, and the figures that do hold."""
    facts = clv_queries.buyer_facts(con)
    tiles = kpi_tiles(
        [
            (
                "one_time_share",
                "Bought once",
                fmt_pct(facts["one_time_share"]),
                f"{fmt_int(facts['one_time_buyers'])} of {fmt_int(facts['buyers'])} customers",
            ),
            (
                "revenue_per_customer",
                "Spend per customer",
                fmt_money(facts["revenue_per_customer"]),
                "mean net revenue to date",
            ),
            (
                "revenue_per_order",
                "Spend per order",
                fmt_money(facts["revenue_per_order"]),
                "net revenue / orders",
            ),
            _holdout_tile(models),
        ]
    )
    return f"""<div class="card" data-clv="does-not-apply">
<p><strong>The customer models do not fit this shop</strong>, so no probability alive and no
lifetime value is shown: {esc(why_not(models, facts))}.</p>
<p class="meta">BG/NBD and Pareto/NBD assume that customers buy again at a steady rate until
they leave; where a model cannot predict the holdout better than every customer repeating
their own past rate, its per-customer numbers would be guesses. They stay in marts.customers
for analysts, with marts.clv_model.models_apply = false. What the orders show without a model:</p>
</div>
{tiles}"""
