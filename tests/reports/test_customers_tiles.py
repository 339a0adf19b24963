"""The customers page's KPI tiles, read from the page published from marts built out of
hand-written orders (tests/assets/sql/customer_orders.py), against values worked out by
hand. The orders are chosen so that the plausible wrong formulas (customers counted without
a placed order, repeat customers counted as returning ones, a daily sum of returning
customers, gross instead of net revenue, a mean of per-customer ratios, a mean CLV over
customers the model never valued) show different numbers."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from reports.pages.customers.page import customers
from tests.assets.sql.customer_orders import CUSTOMER_MARTS, CUSTOMER_ORDERS
from tests.reports.test_kpi_tiles import tiles

GENERATED_AT = datetime(2011, 3, 21, 6, 0, tzinfo=UTC)


@pytest.fixture
def shop(warehouse):
    warehouse.insert("orders", CUSTOMER_ORDERS)
    warehouse.build(*CUSTOMER_MARTS)
    return warehouse


def test_customer_tiles_and_the_figures_that_hold_without_a_model(shop):
    """Catches: customers counted without a placed order (c4, cancelled: 6, not 5); the
    repeat rate over every known customer (2/6 = 33.3 %); returning customers counted as
    repeat customers (2: c2 ordered twice on one day) or as the daily sum of returning
    customers (2: c1 came back on two days); new customers' revenue gross of returns or
    averaged over customers without a placed order; the share of one-time buyers over every
    known customer; spend per order as a mean of each customer's revenue per order.

    Five buyers cannot be modelled (BG/NBD needs 20 customers and 10 repeat buyers), so the
    page shows what holds without a model instead of CLV."""
    shown = tiles(customers(shop.con, "shop", GENERATED_AT))
    assert shown == {
        # the range tiles over every day: customers by their first placed order
        "new_customers": "5",  # c1 c2 c3 c5 c6; c4 never had a placed order, the guest no key
        # c1 (4 orders) and c2 (2) of the 5 = 40.0 %; over the 6 known customers 33.3 %
        "new_customer_repeat_rate": "40.0 %",
        # net revenue c1 20+5+25+30 = 80, c2 40+10 = 50, c3 2 x 25 - 25 returned = 25, c5 15,
        # c6 10: 180 / 5 = 36.00 (gross 205 / 5 = 41.00; over 6 customers 30.00)
        "revenue_per_new_customer": "36.00",
        # as of the data's end
        "customers": "5",
        "repeat_customer_rate": "40.0 %",
        # only c1 ordered on a later day than its first (c2's two orders share a day); the
        # daily returning counts sum to 2 (c1 on 02-01 and 03-05)
        "returning_customers": "1",
        # no model: c3, c5, c6 bought once: 3 / 5 (over the 6 known customers: 50.0 %)
        "one_time_share": "60.0 %",
        "revenue_per_customer": "36.00",  # 180 / 5, as above
        # 180 / 9 orders (4 + 2 + 1 + 1 + 1) = 20.00; the mean of each customer's revenue per
        # order (20 + 25 + 25 + 15 + 10) / 5 = 19.00
        "revenue_per_order": "20.00",
        # the holdout (after 2011-02-25) held one repeat purchase, c1's on 03-05; naive 0.5
        # (each calibration customer repeating its own rate) shows rounded to 0
        "clv_holdout": "1",
    }


# customer -> (CLV, probability alive) as a fitted model would give them; c5 and c6 are
# left without a value, as customers the model could not score are.
MODEL_VALUES = {"c1": (120.0, 0.9), "c2": (45.5, 0.6), "c3": (10.0, 0.15)}
CLV_TILES = ("clv_customers", "total_clv", "mean_clv", "mean_p_alive", "clv_model", "clv_holdout")


def test_clv_tiles_average_over_the_customers_the_model_valued(shop):
    """Catches: mean CLV or mean probability alive over every customer (a customer without
    a CLV counted as 0), customers valued counted as all customers, and the holdout tile
    showing another model's prediction than the kept one's."""
    for customer, (clv, p_alive) in MODEL_VALUES.items():
        shop.con.execute(
            "update marts.customers set clv = ?, p_alive = ?, clv_model = 'pareto_nbd', clv_decile = 1"
            " where customer_key in (select customer_key from staging.stg_order_lines as s"
            " join raw.orders as r using (order_id) where r.customer_id = ?)",
            [clv, p_alive, customer],
        )
    # The run's verdict: Pareto/NBD kept, predicting 2.6 repeat purchases in the holdout;
    # BG/NBD 7.2 (listed first, its figure must not be shown).
    shop.con.execute(
        "update marts.clv_model set models_apply = true, not_applicable_because = null,"
        " selected = (model = 'pareto_nbd'), better_than_naive = true,"
        " holdout_predicted = case model when 'pareto_nbd' then 2.6 else 7.2 end"
        " where model in ('bgnbd', 'pareto_nbd') and fit_window = 'calibration'"
    )
    shown = tiles(customers(shop.con, "shop", GENERATED_AT))
    assert {key: shown[key] for key in CLV_TILES} == {
        "clv_customers": "3",  # c1 c2 c3 (5 buyers, 6 known customers)
        "total_clv": "175.50",  # 120 + 45.50 + 10
        # 175.50 / 3 valued customers (over the 5 buyers 35.10, over the 6 known 29.25)
        "mean_clv": "58.50",
        # (0.9 + 0.6 + 0.15) / 3 = 0.55 (over the 5 buyers 33.0 %)
        "mean_p_alive": "55.0 %",
        "clv_model": "Pareto/NBD",
        "clv_holdout": "3 vs 1",  # the kept model's 2.6 rounded, against c1's one repeat
    }


def test_cohort_grid_shows_each_cohorts_retention(shop):
    """Catches: the grid showing active customers or retention over the previous month's
    active customers instead of marts.cohort_retention's rate over the cohort, or a cohort
    labelled with another's size (the rates are worked by hand in
    tests/assets/sql/test_cohort_retention.py)."""
    html = customers(shop.con, "shop", GENERATED_AT)
    grid = html[html.index("cohort-grid") : html.index("</table>", html.index("cohort-grid"))]
    rows = [
        (label, re.findall(r"<td(?: [^>]*)?>([^<]*)</td>", cells))
        for label, cells in re.findall(r'<td class="label">([^<]*)</td>(.*?)</tr>', grid)
    ]
    assert rows == [
        ("Jan 2011 (2)", ["100%", "50%", "50%"]),  # c1 and c2; c1 alone in February and March
        ("Feb 2011 (1)", ["100%", "0%", ""]),  # c3, not back in March
        ("Mar 2011 (2)", ["100%", "", ""]),  # c5 and c6
    ]
