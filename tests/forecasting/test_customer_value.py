"""Who a stockout hurts: high-value customers and each SKU's share of revenue from them,
on a hand-made set of customers."""

import polars as pl
import pytest

from forecasting.customer_value import high_value_customers, sku_customer_value

# Ten customers; by CLV the top two are C9 and C1; by spend, C0 and C2.
CUSTOMERS = pl.DataFrame(
    {
        "customer_key": [f"C{n}" for n in range(10)],
        "revenue": [900.0, 50.0, 800.0, 10, 20, 30, 40, 60, 70, 80],
        "clv": [5.0, 700.0, 6.0, 1, 2, 3, 4, 8, 9, 1000.0],
    }
)
SALES = pl.DataFrame(
    {
        "sku": ["MUG", "MUG", "MUG", "MUG", "VASE", "VASE", "LAMP"],
        "customer_key": ["C9", "C1", "C3", None, "C0", "C2", "C4"],
        "amount": [30.0, 10.0, 40.0, 20.0, 100.0, 300.0, 15.0],
        "line_id": list(range(7)),
    }
)


def test_top_share_by_clv_and_ties_by_key():
    """Bug caught: "top 20 %" counting the wrong end, or a tie deciding by row order."""
    high, basis = high_value_customers(CUSTOMERS, 0.2)
    assert (sorted(high["customer_key"]), basis) == (["C1", "C9"], "clv")
    # 25 % of 10 is 2.5: three customers, C9 (1000), C1 (700), then C0 and C8 tie at 9:
    # C0, the smaller key, is in
    tied = CUSTOMERS.with_columns(
        pl.when(pl.col("customer_key") == "C0").then(9.0).otherwise("clv").alias("clv")
    )
    high, _ = high_value_customers(tied, 0.25)
    assert sorted(high["customer_key"]) == ["C0", "C1", "C9"]


def test_sku_share_of_revenue_from_high_clv_customers():
    """Bug caught: guests or ordinary customers counted as high-value, or the share taken of
    the wrong revenue."""
    table = sku_customer_value(SALES, CUSTOMERS, 0.2)
    rows = {row["sku"]: row for row in table.iter_rows(named=True)}
    # MUG: 100 of revenue (guest's 20 included), 40 of it from C9 and C1
    assert (rows["MUG"]["revenue"], rows["MUG"]["high_value_revenue"]) == (100.0, 40.0)
    assert rows["MUG"]["high_value_revenue_share"] == pytest.approx(0.4)
    assert rows["VASE"]["high_value_revenue_share"] == 0.0
    assert rows["LAMP"]["high_value_revenue_share"] == 0.0
    assert table["value_basis"].unique().to_list() == ["clv"]


def test_without_a_clv_model_customers_are_ranked_by_spend_and_say_so():
    """Bug caught: a shop whose CLV could not be modelled got no high-value customers at
    all (every share 0), or a failure, instead of the spend-based fallback."""
    no_model = CUSTOMERS.with_columns(pl.lit(None, pl.Float64).alias("clv"))
    table = sku_customer_value(SALES, no_model, 0.2)
    rows = {row["sku"]: row for row in table.iter_rows(named=True)}
    # by spend the top two are C0 (900) and C2 (800): all of VASE, none of MUG
    assert rows["VASE"]["high_value_revenue_share"] == 1.0
    assert rows["MUG"]["high_value_revenue_share"] == 0.0
    assert table["value_basis"].unique().to_list() == ["spend"]
    # a customers table without the clv column at all is the same case
    assert sku_customer_value(SALES, CUSTOMERS.drop("clv"), 0.2).equals(table)


def test_only_a_sku_with_positive_revenue_has_a_share():
    """Bug caught: the share taken where the revenue is 0 (0 / 0 is NaN, a number that
    sorts and averages as one, where "no share" is meant), or the test of "positive" moved
    to above 1 unit of money, so a SKU that took in 0.50 lost its share."""
    sales = pl.DataFrame(
        {
            "sku": ["FREE", "PIN", "PIN"],
            "customer_key": ["C9", "C9", "C3"],
            "amount": [0.0, 0.3, 0.2],
            "line_id": [0, 1, 2],
        }
    )
    rows = {
        row["sku"]: row for row in sku_customer_value(sales, CUSTOMERS, 0.2).iter_rows(named=True)
    }
    assert rows["FREE"]["revenue"] == 0.0
    assert rows["FREE"]["high_value_revenue_share"] is None
    # PIN took in 0.50, 0.30 of it from C9
    assert rows["PIN"]["high_value_revenue_share"] == pytest.approx(0.6)
