"""The customers page where the customer models do not apply, where only the spend model
is missing, and where a segment's revenue is below zero (the tiny warehouse, changed by SQL)."""

from __future__ import annotations

import html

from tests.reports.test_publish import parse

NOT_APPLICABLE = (
    "update marts.clv_model set models_apply = false, not_applicable_because ="
    " 'no model predicted each customer''s holdout repeat purchases better than the naive baseline';"
)


def page_text(site) -> str:
    return html.unescape((site / "customers.html").read_text())


def test_models_that_do_not_apply_show_why_and_no_probability_alive(publish_warehouse) -> None:
    """Bug caught: the page showed probability alive and CLV tiles as facts though no model
    beat the naive baseline."""
    site = publish_warehouse(sql=NOT_APPLICABLE)
    text = page_text(site)
    kpis = parse(site / "customers.html").kpis
    assert "The customer models do not fit this shop" in text
    assert "better than the naive baseline" in text
    assert not {"mean_p_alive", "total_clv", "clv_customers"} & set(kpis)
    assert kpis["revenue_per_customer"] == "50.00"  # (70 + 50 + 30) / 3
    assert kpis["revenue_per_order"] == "37.50"  # 150 / 4 orders
    assert kpis["one_time_share"] == "66.7 %"  # 2 of 3 bought once
    assert "66.7 % of customers bought only once (2 of 3)" in text


def test_a_missing_spend_model_is_named_where_the_clv_would_be(publish_warehouse) -> None:
    """Bug caught: with Gamma-Gamma unfitted the page said 'no fitted model' while the model
    table listed the fitted purchase models."""
    site = publish_warehouse(
        sql="update marts.customers set clv = null, clv_decile = null;"
        " update marts.clv_model set parameters = null,"
        " note = 'not fitted: 3 repeat buyers with positive spend (needs 10)'"
        " where model = 'gamma_gamma';"
    )
    text = page_text(site)
    assert (
        "No customer has a CLV: Gamma-Gamma not fitted: 3 repeat buyers with positive spend"
        " (needs 10)." in text
    )
    assert "no fitted model" not in text
    assert parse(site / "customers.html").kpis["mean_p_alive"] == "60.0 %"  # the model applies


def test_a_segment_with_negative_revenue_is_explained_by_its_refunds(
    publish_warehouse, site
) -> None:
    """Bug caught: the demo's 'No purchase in the data' segment showed revenue -10,411 with
    no word on where a negative revenue comes from."""
    changed = publish_warehouse(
        sql="insert into marts.customers (customer_key, country, orders, is_repeat_customer,"
        " revenue, refunds, rfm_segment) values ('r', 'France', 0, false, -40, 40,"
        " 'No purchase in the data');"
    )
    text = page_text(changed)
    note = text[text.index('data-note="negative-revenue"') :]
    assert (
        "No purchase in the data: 1 customers whose only lines in the data refund purchases made"
        " before it starts (returns, cancellations and credits of 40.00), so their revenue is"
        " -40.00" in note[: note.index("</div>")]
    )
    assert 'data-note="negative-revenue"' not in page_text(site)  # the tiny shop has none
