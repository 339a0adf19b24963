"""The order marts on all 305 real Online Retail day files reconcile with staging."""

import duckdb
import pytest

from bench.stores import link_files
from config.settings import Settings
from ingest.load import ensure_tables, load_days
from tests.assets.sql.test_orders_revenue import suite_failures
from tests.conftest import Warehouse

MODELS = (
    "staging.stg_catalog",
    "staging.stg_order_lines",
    "marts.orders_daily",
    "marts.sales_by_sku_daily",
    "marts.customer_clv",
    "marts.customers",
    "marts.customer_rates_monthly",
    "marts.cohort_retention",
)


@pytest.fixture(scope="module")
def retail(tmp_path_factory, online_retail_by_day):
    exports = tmp_path_factory.mktemp("exports")
    link_files(online_retail_by_day, exports / "orders")
    (exports / "exports.yaml").write_text("orders: {format: online-retail}\n")
    con = duckdb.connect()
    ensure_tables(con)
    load_days(con, exports, "orders")
    warehouse = Warehouse(con, Settings())
    warehouse.build(*MODELS)
    yield warehouse
    con.close()


def one(warehouse, sql: str) -> dict:
    return warehouse.rows(sql)[0]


def test_orders_and_net_sales_reconcile_with_staging(retail):
    staged = one(
        retail,
        """
        select count(distinct order_id) filter (where order_status = 'placed' and quantity > 0) as orders,
               count(distinct customer_key) filter (where order_status = 'placed' and quantity > 0) as customers,
               sum(quantity * unit_price) as value
        from staging.stg_order_lines""",
    )
    mart = one(
        retail, "select sum(orders) as orders, sum(net_sales) as net from marts.orders_daily"
    )
    assert mart["orders"] == staged["orders"]
    assert mart["net"] == pytest.approx(staged["value"])  # Online Retail has no discounts
    assert mart["net"] == pytest.approx(9_747_747.93)
    by_sku = one(
        retail, "select sum(net_sales) as net, sum(orders) as orders from marts.sales_by_sku_daily"
    )
    assert by_sku["net"] == pytest.approx(mart["net"])
    buyers = one(
        retail, "select count(*) as n, sum(orders) as orders from marts.customers where orders > 0"
    )
    assert buyers["n"] == staged["customers"]


def test_rfm_and_cohorts_cover_every_customer_with_an_id(retail):
    ids = one(retail, "select count(distinct customer_key) as n from staging.stg_order_lines")["n"]
    assert ids == 4_372
    customers = one(
        retail,
        "select count(*) as n, count(rfm_segment) as segmented, count(r_score) as scored,"
        " count(*) filter (where orders = 0) as without_purchase from marts.customers",
    )
    cohorts = one(
        retail,
        "select sum(cohort_customers) as n from marts.cohort_retention where months_since_acquisition = 0",
    )
    buyers = one(retail, "select sum(new_customers) as n from marts.customer_rates_monthly")
    assert customers["n"] == customers["segmented"] == ids  # every customer with an id
    # customers whose only lines reverse an earlier purchase have no first order: unscored, no cohort
    only_reversals = one(
        retail,
        """
        select count(*) as n from (
            select customer_key from staging.stg_order_lines where customer_key is not null
            group by customer_key having not bool_or(order_status = 'placed' and quantity > 0))""",
    )["n"]
    assert customers["without_purchase"] == only_reversals > 0
    assert customers["scored"] == cohorts["n"] == buyers["n"] == ids - only_reversals


def test_order_marts_pass_their_quality_suites_on_real_orders(retail):
    failures = {t: suite_failures(retail, t) for t in MODELS if t.startswith("marts.")}
    assert failures == {t: [] for t in failures}


def test_clv_models_run_on_the_real_customers_and_count_the_holdout_independently(retail):
    models = retail.rows(
        "select * from marts.clv_model where fit_window = 'calibration' order by model"
    )
    assert [m["model"] for m in models] == ["bgnbd", "pareto_nbd"]
    calibration_end, holdout_end = models[0]["calibration_end"], models[0]["holdout_end"]
    # repeat purchase days in the holdout of the customers first seen by the calibration end, in SQL
    actual = one(
        retail,
        """
        with days as (
            select distinct customer_key, order_date from staging.stg_order_lines
            where customer_key is not null and order_status = 'placed' and quantity > 0
        ),
        firsts as (select customer_key, min(order_date) as first_day from days group by 1)
        select count(*) as n from days join firsts using (customer_key)
        where first_day <= $cal and order_date > $cal and order_date <= $end""".replace(
            "$cal", f"date '{calibration_end}'"
        ).replace("$end", f"date '{holdout_end}'"),
    )["n"]
    for model in models:
        assert model["converged"] and model["holdout_actual"] == actual
        assert model["better_than_naive"] == (model["holdout_mae"] < model["naive_mae"])
    assert sum(m["selected"] for m in models) == 1
    scored = one(
        retail,
        "select count(*) as n, count(clv) as valued, min(clv_decile) as lo, max(clv_decile) as hi,"
        " max(p_alive) as p from marts.customers where orders > 0",
    )
    assert (
        scored["n"] == scored["valued"]
        and (scored["lo"], scored["hi"]) == (1, 10)
        and scored["p"] <= 1
    )
