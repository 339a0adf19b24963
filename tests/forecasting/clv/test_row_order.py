"""The CLV tables do not depend on the order of the order lines, to the last bit."""

from datetime import date, datetime, timedelta

import numpy as np
import polars as pl

from forecasting.clv.tables import build_clv_tables

DAY0 = date(2011, 3, 1)
PRICES = (0.1, 0.7, 1.3, 2.9, 4.35, 12.99)


def _order_lines(seed: int = 13) -> pl.DataFrame:
    """Four months of 60 customers, most buying again and again, with amounts whose float
    sums round differently when added in another order. Seeded."""
    rng = np.random.default_rng(seed)
    rows = []
    for customer in range(60):
        day = int(rng.integers(0, 60))
        while day < 120:
            order = f"{customer}-{day}"
            for line in range(int(rng.integers(1, 4))):
                quantity = int(rng.integers(1, 5))
                rows.append(
                    {
                        "customer_key": f"c{customer:02d}",
                        "order_id": order,
                        "order_date": DAY0 + timedelta(days=day),
                        "quantity": quantity,
                        "order_status": "placed",
                        "line_amount": quantity * float(rng.choice(PRICES)) + line * 0.01,
                    }
                )
            day += int(rng.integers(1, 15)) if rng.random() > 0.2 else 120
    return pl.DataFrame(rows)


def _tables(lines: pl.DataFrame):
    return build_clv_tables(
        lines, DAY0 + timedelta(days=80), DAY0 + timedelta(days=119), "W", 365, 0.1, 0.3,
        datetime(2011, 7, 1),
    )  # fmt: skip


def test_clv_tables_are_bit_identical_whatever_the_order_of_the_lines():
    """Bug caught: the CLV summary summed each customer's spend, refunds and repeat spend in
    the order polars' group_by returned the purchase days, and the tracking table summed
    its cohorts in the order of another group_by, so the same lines in another order (or the
    same frame in another process) gave other last bits in monetary_value, the fits and clv."""
    lines = _order_lines()
    first = _tables(lines)
    again = _tables(lines.sample(fraction=1.0, shuffle=True, seed=5))
    assert first.selected is not None  # the models fitted: the comparison covers them
    for name in ("customer_clv", "tracking", "conditional"):
        a, b = getattr(first, name), getattr(again, name)
        key = a.columns[:2]
        assert a.sort(key).equals(b.sort(key)), name
    assert first.models.drop("fit_seconds").equals(again.models.drop("fit_seconds"))
