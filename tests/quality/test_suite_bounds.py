"""Every value rule of every table suite (quality/suites.py) against the domain it guards.

The tables below are the specification, written by hand from what each column means, not
read from the suites: a rating is 1 to 5 stars, a rate a share between 0 and 1, an NPS
-100 to 100, a pack size at least one unit. Each table's rules run once, through the same
Great Expectations path as the blocking `expectations` check (quality/validate.py
`validate_batches`), on a frame with one row per case: each allowed edge must pass and one
step beyond it must fail; a column pair must pass when equal and fail when reversed; every
allowed value of a set must pass and an outside one fail. A case row sets only the columns
it tests (the rules ignore empty values), so the rows that fail are exactly the cases that
must.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from quality.suites import SUITES, fix
from quality.validate import validate_batches

# A column's allowed range as (lowest, highest or None when unbounded, step): the step is
# the smallest change its values make, so lowest - step and highest + step are the first
# values outside.
COUNT = (0, None, 1)  # units, orders, stock: never negative
AT_LEAST_ONE = (1, None, 1)  # a row that exists holds at least one of these
AMOUNT = (0, None, 0.01)  # money, in cents
DAYS = (0, None, 0.5)  # durations in days (medians may be half days)
NON_NEGATIVE = (0, None, 0.001)  # model outputs: expected purchases, spend, CLV
RATE = (0, 1, 0.001)  # a share of a whole
STARS = (1, 5, 1)  # a review's rating; RFM scores are quintiles 1 to 5
MEAN_STARS = (1, 5, 0.01)  # an average of ratings
NPS = (-100, 100, 0.01)  # % promoters - % detractors
NPS_ANSWER = (0, 10, 1)  # "how likely are you to recommend us", 0 to 10
FUNNEL_STEP = (0, 4, 1)  # 0 none, 1 viewed, 2 carted, 3 checked out, 4 purchased
DECILE = (1, 10, 1)

RANGES: dict[str, dict[str, tuple]] = {
    "staging.stg_catalog": {
        "unit_cost": AMOUNT,  # a free sample costs 0
        "lead_time_days": DAYS,  # a same-day supplier
        "lead_time_std_days": DAYS,
        "moq": AT_LEAST_ONE,  # an order of nothing is no order
        "pack_size": AT_LEAST_ONE,
    },
    "staging.stg_feedback": {"rating": STARS, "nps_score": NPS_ANSWER},
    "staging.stg_inventory": {"on_hand": COUNT, "on_order": COUNT},
    "marts.fulfilment_daily": {"on_time_share": RATE, "median_days_to_ship": DAYS},
    "marts.delivery_feedback": {"nps": NPS},
    "marts.sessions": {"funnel_step": FUNNEL_STEP},
    "marts.conversion_daily": {
        c: RATE
        for c in (
            "conversion_rate",
            "cart_abandonment_rate",
            "checkout_abandonment_rate",
            "user_conversion_rate",
        )
    },
    "marts.funnel_daily": {
        c: RATE
        for c in (
            "view_to_cart_rate",
            "cart_to_checkout_rate",
            "checkout_to_purchase_rate",
            "view_to_purchase_rate",
            "conversion_rate",
        )
    },
    "marts.cart_abandonment_daily": {
        c: RATE
        for c in (
            "cart_abandonment_rate",
            "cart_abandonment_rate_window",
            "checkout_abandonment_rate",
            "checkout_abandonment_rate_window",
        )
    },
    "marts.orders_daily": {
        "orders": COUNT,
        "returned_sales": AMOUNT,  # returns are reported as a positive amount
        "cancelled_orders": COUNT,
        "returned_orders": COUNT,
    },
    "marts.orders_by_customer_type_daily": {"orders": COUNT, "cancellations": COUNT},
    "marts.customers": {
        "r_score": STARS,
        "f_score": STARS,
        "m_score": STARS,
        "clv": NON_NEGATIVE,
        "orders": COUNT,
    },
    "marts.customer_clv": {
        "p_alive": RATE,
        "frequency": COUNT,  # repeat purchases
        "recency": DAYS,
        "expected_purchases_30d": NON_NEGATIVE,
        "expected_purchases_365d": NON_NEGATIVE,
        "expected_avg_spend": NON_NEGATIVE,
        "clv": NON_NEGATIVE,
        "clv_decile": DECILE,
    },
    "marts.sales_by_sku_daily": {"units": COUNT, "orders": COUNT},
    "marts.customer_rates_monthly": {
        c: RATE
        for c in (
            "returning_customer_rate",
            "repeat_purchase_rate",
            "cumulative_repeat_purchase_rate",
        )
    },
    # A cohort exists because somebody was acquired in it.
    "marts.cohort_retention": {"retention_rate": RATE, "cohort_customers": AT_LEAST_ONE},
    "marts.feedback_daily": {
        "csat": RATE,
        "review_rate": RATE,
        "mean_rating": MEAN_STARS,
        "nps": NPS,
    },
    "marts.product_ratings": {"mean_rating": MEAN_STARS, "csat": RATE},
    # Demand is never negative, so neither is a forecast or its 95 % lower bound.
    "forecasts.demand_forecast": {"forecast": NON_NEGATIVE, "lo_95": NON_NEGATIVE},
    # A recommendation to order says to order something.
    "inventory.reorder_recommendations": {"order_qty": AT_LEAST_ONE},
    "inventory.overstock": {"excess_units": COUNT},
    # A draft purchase order holds at least one line of at least one unit.
    "inventory.purchase_orders": {
        "lines": AT_LEAST_ONE,
        "units": AT_LEAST_ONE,
        "order_value": AMOUNT,
        "min_order_value": AMOUNT,
        "min_order_qty": COUNT,
        "pulled_forward_lines": COUNT,
    },
    "inventory.purchase_order_lines": {
        "quantity": AT_LEAST_ONE,
        "unit_cost": AMOUNT,
        "line_value": AMOUNT,
    },
}

# Column pairs (a, b) where a >= b whenever both hold a value, with the kind of value:
# a time (one second apart when reversed) or a number (one apart, or a thousandth).
TIME = (dt.datetime(2024, 3, 1, 12), dt.timedelta(seconds=1))
WHOLE = (1, 1)
FRACTION = (1.0, 0.001)
PAIRS: dict[str, list[tuple[str, str, tuple]]] = {
    "staging.stg_shipments": [("delivered_at", "shipped_at", TIME)],  # delivered after shipped
    "marts.sessions": [("ended_at", "started_at", TIME)],
    "marts.conversion_daily": [("sessions", "sessions_with_purchase", WHOLE)],
    # A cart abandoned within the session was not bought within the later window either.
    "marts.cart_abandonment_daily": [
        ("carts_abandoned_in_session", "carts_abandoned_in_window", WHOLE)
    ],
    "marts.orders_daily": [("customers", "returning_customers", WHOLE)],
    "marts.customer_clv": [
        ("T", "recency", FRACTION),  # the last purchase falls inside the customer's age
        ("expected_purchases_365d", "expected_purchases_30d", FRACTION),
    ],
    "marts.customer_rates_monthly": [("customers", "returning_customers", WHOLE)],
    "marts.cohort_retention": [("cohort_customers", "active_customers", WHOLE)],
    # The 80 % interval lies inside the 95 % one and holds the point forecast.
    "forecasts.demand_forecast": [
        ("forecast", "lo_80", FRACTION),
        ("hi_80", "forecast", FRACTION),
        ("hi_95", "hi_80", FRACTION),
    ],
    "inventory.purchase_orders": [("lines", "pulled_forward_lines", WHOLE)],
}

# Columns whose every value must be one of a set; OUTSIDE is a value none allows.
SETS: dict[str, dict[str, tuple[str, ...]]] = {
    "staging.stg_order_lines": {"order_status": ("placed", "cancelled", "returned")},
    "staging.stg_traffic_events": {
        "event_name": ("page_view", "view_item", "add_to_cart", "begin_checkout", "purchase")
    },
    "staging.stg_feedback": {"feedback_type": ("review", "nps")},
    "marts.funnel_daily": {"scope": ("session", "user"), "funnel_type": ("closed", "open")},
    "marts.orders_by_customer_type_daily": {"customer_type": ("new", "returning", "guest")},
}
OUTSIDE = "other"

# Columns that may hold any value but these: a line of quantity 0 sells and returns nothing
# (returns are negative lines, so -1 is allowed).
FORBIDDEN: dict[str, dict[str, tuple[int, ...]]] = {
    "staging.stg_order_lines": {"quantity": (0,)},
}
ALLOWED_BESIDE_FORBIDDEN = (-1, 1)

LARGE = 1_000_000  # no upper bound: a large value passes

TABLES = sorted({*RANGES, *PAIRS, *SETS, *FORBIDDEN})


def _range_cases(column: str, low, high, step) -> list[tuple[str, dict, bool]]:
    values = [(low, False), (low - step, True)]
    values += [(high, False), (high + step, True)] if high is not None else [(LARGE, False)]
    return [(column, {column: value}, fails) for value, fails in values]


def _pair_cases(a: str, b: str, kind: tuple) -> list[tuple[str, dict, bool]]:
    value, step = kind
    rule = f"{a} > {b}"
    return [
        (rule, {a: value, b: value}, False),  # equal
        (rule, {a: value, b: value + step}, True),  # reversed
        (rule, {a: value}, False),  # b not known yet (a parcel in transit)
    ]


def _cases(table: str) -> list[tuple[str, dict, bool]]:
    """(rule, the row's values, must fail) for every case of `table`'s specification."""
    cases = []
    for column, (low, high, step) in RANGES.get(table, {}).items():
        cases += _range_cases(column, low, high, step)
    for a, b, kind in PAIRS.get(table, []):
        cases += _pair_cases(a, b, kind)
    for column, allowed in SETS.get(table, {}).items():
        cases += [(column, {column: v}, False) for v in allowed] + [
            (column, {column: OUTSIDE}, True)
        ]
    for column, forbidden in FORBIDDEN.get(table, {}).items():
        cases += [(column, {column: v}, True) for v in forbidden]
        cases += [(column, {column: v}, False) for v in ALLOWED_BESIDE_FORBIDDEN]
    return cases


def _label(rule: str, values: dict) -> str:
    return f"{rule}: " + ", ".join(f"{c}={v}" for c, v in values.items())


def _frame(cases: list[tuple[str, dict, bool]]) -> pl.DataFrame:
    """One row per case, named by its label; columns a case does not set are empty."""
    columns = list(dict.fromkeys(c for _, values, _ in cases for c in values))
    data = {"case": [_label(rule, values) for rule, values, _ in cases]}
    for column in columns:
        values = [row.get(column) for _, row, _ in cases]
        floats = any(isinstance(v, float) for v in values)
        data[column] = pl.Series(column, values, dtype=pl.Float64 if floats else None)
    return pl.DataFrame(data)


def _rule_names(expectations: list) -> set[str]:
    names = set()
    for expectation in expectations:
        kwargs = expectation.configuration.kwargs
        names.add(kwargs.get("column") or f"{kwargs['column_A']} > {kwargs['column_B']}")
    return names


def test_every_rule_has_a_specification_and_every_specification_a_rule():
    """Catches: a rule dropped from a suite (a rate above 1 then loads unnoticed), or a rule
    added without a line here saying what the column may hold (so no edge case tests it)."""
    in_suites = {table: _rule_names(suite.rules()) for table, suite in SUITES.items()}
    specified = {table: {rule for rule, _, _ in _cases(table)} for table in TABLES}
    assert {table: rules for table, rules in in_suites.items() if rules} == specified


@pytest.mark.parametrize("table", TABLES)
def test_each_edge_passes_and_one_step_beyond_fails(table):
    """Catches: a bound moved by a step or dropped (a pack size of 0 or a rating of 0 or 6
    let through, so a reorder quantity divides by zero or an average rating leaves 1-5; a
    rate above 1, an NPS of 101, a funnel step 5, a CLV decile 0 or 11, a negative stock,
    cost or excess; or a lowest allowed value, such as a same-day lead time or one order
    line, rejected), a column pair compared strictly (a parcel delivered the second it
    shipped, or a forecast equal to its interval's bound, failing) or the wrong way round,
    and a value set missing an allowed value or taking any value."""
    cases = _cases(table)
    result = validate_batches(
        [_frame(cases)], table.split(".")[1], SUITES[table].rules(), key=("case",)
    )
    failed = set()
    for failure in result.failures:
        rule = failure["column"]
        rule = " > ".join(rule) if isinstance(rule, list) else rule
        assert failure["unexpected"] == len(failure["examples"]), failure  # all rows shown
        failed |= {(rule, example["case"]) for example in failure["examples"]}
    must_fail = {(rule, _label(rule, values)) for rule, values, fails in cases if fails}
    assert sorted(failed) == sorted(must_fail)


def test_a_failing_staging_row_points_at_the_exports_and_a_computed_one_at_its_sql():
    """Catches: the fix sentence chosen by the wrong layer, so a failing mart row tells the
    reader to correct the exports, or a bad export row to debug a SQL model."""
    assert "reload their days" in fix("staging.stg_feedback")
    assert "assets/sql" not in fix("staging.stg_feedback")
    assert "assets/sql/marts/feedback_daily.sql" in fix("marts.feedback_daily")
    assert "exports" not in fix("marts.feedback_daily")
