"""value_deciles: the CLV decile of each customer, 1 to 10, whatever the customer count."""

import polars as pl
import pytest

from forecasting.clv.scoring import value_deciles


@pytest.mark.parametrize("n", [1, 9, 10, 11, 105, 1_000, 4_339])
def test_deciles_run_from_1_to_10_in_tenths_of_equal_size(n):
    """Catches ceil(rank * 10 / n) in floating point, which put the highest of 105
    customers in decile 11 (a blocking check then stopped the run), and a floor, which
    gives the lowest customers decile 0."""
    values = pl.DataFrame({"clv": [float(v) for v in range(n, 0, -1)]})
    deciles = values.select(pl.col("clv"), decile=value_deciles("clv")).sort("clv")
    got = deciles["decile"].to_list()
    assert got == sorted(got)
    assert got[-1] == 10
    assert set(got) <= set(range(1, 11))
    if n >= 10:  # every decile used, sizes differing by at most one customer
        sizes = deciles.group_by("decile").len()["len"]
        assert got[0] == 1 and len(sizes) == 10 and sizes.max() - sizes.min() <= 1


def test_a_customer_without_a_value_has_no_decile_and_is_not_counted():
    """Catches nulls counted in n (the top of the valued customers would reach only
    decile 5 here) or given a decile of their own."""
    values = pl.DataFrame({"clv": [None, 3.0, None, 1.0, 2.0, None, 4.0, None, None, 5.0]})
    got = values.select(decile=value_deciles("clv"))["decile"].to_list()
    assert got == [None, 6, None, 2, 4, None, 8, None, None, 10]
