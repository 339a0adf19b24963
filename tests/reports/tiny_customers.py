"""The tiny warehouse's order, customer, CLV and feedback marts (tiny_warehouse.py has the known answers)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

# day, country, orders, lines, units, customers, new, returning, gross, discounts, returned,
# cancelled, adjustments, cancellations, returned and cancelled orders, net sales, AOV
ORDERS_ROWS = [
    (
        date(2011, 1, 3),
        "United Kingdom",
        2,
        3,
        10,
        2,
        2,
        0,
        120.0,
        5.0,
        15.0,
        0.0,
        0.0,
        15.0,
        1,
        0,
        100.0,
        57.5,
    ),
    (date(2011, 1, 3), "France", 1, 1, 4, 1, 1, 0, 30.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 30.0, 30.0),
    (
        date(2011, 1, 10),
        "United Kingdom",
        1,
        2,
        6,
        1,
        0,
        1,
        20.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0,
        0,
        20.0,
        20.0,
    ),
]
# marts.orders_by_customer_type_daily: the orders above by the customer's type (the two UK
# customers of 2011-01-03 and the French one order for the first time; one UK customer
# comes back on 2011-01-10). day, country, type, orders, units, gross, discounts,
# cancellations, net sales.
ORDERS_BY_CUSTOMER_TYPE_ROWS = [
    (date(2011, 1, 3), "United Kingdom", "new", 2, 10, 120.0, 5.0, 15.0, 100.0),
    (date(2011, 1, 3), "France", "new", 1, 4, 30.0, 0.0, 0.0, 30.0),
    (date(2011, 1, 10), "United Kingdom", "returning", 1, 6, 20.0, 0.0, 0.0, 20.0),
]
# key, country, first and last order, orders, revenue, recency, R, F, M, segment, then CLV:
# p alive, expected purchases 30/90/365 days, expected spend, CLV, decile, model
_CUSTOMERS = [
    (
        "a" * 64,
        "United Kingdom",
        date(2011, 1, 3),
        date(2011, 1, 10),
        2,
        70.0,
        5,
        5,
        4,
        3,
        "Champions",
        0.9,
        0.2,
        0.6,
        2.4,
        35.0,
        210.0,
        10,
        "bgnbd",
    ),
    (
        "b" * 64,
        "United Kingdom",
        date(2011, 1, 3),
        date(2011, 1, 3),
        1,
        50.0,
        12,
        3,
        1,
        2,
        "New customers",
        0.5,
        0.05,
        0.15,
        0.6,
        40.0,
        60.0,
        5,
        "bgnbd",
    ),
    (
        "c" * 64,
        "France",
        date(2011, 1, 3),
        date(2011, 1, 3),
        1,
        30.0,
        12,
        3,
        1,
        1,
        "New customers",
        0.4,
        0.04,
        0.12,
        0.5,
        30.0,
        40.0,
        1,
        "bgnbd",
    ),
]
# CLV: total 310.00, mean 103.33, mean p alive 60.0 %; BG/NBD kept (MAE 0.40 < 0.45), Pareto/NBD
# flagged as not better than the naive baseline (0.60 vs 0.50).
_RUN = (date(2011, 1, 7), date(2011, 1, 14), "W", 1)
# Gamma-Gamma's holdout spend (none here), then the run's verdict: the models apply.
_NO_SPEND = (None,) * 5
_CLV_TAIL = (True, None, 365, 0.1, 0.3, datetime(2011, 1, 15, 2))
CLV_MODEL_ROWS = [
    (
        "bgnbd",
        "calibration",
        '{"r": 0.24, "alpha": 4.4, "a": 0.79, "b": 2.4}',
        -12.5,
        3,
        True,
        0.1,
        None,
        *_RUN,
        1.8,
        2.0,
        0.40,
        0.5,
        -10.0,
        1.5,
        0.50,
        True,
        True,
        *_NO_SPEND,
        *_CLV_TAIL,
    ),
    (
        "pareto_nbd",
        "calibration",
        '{"r": 0.55, "alpha": 10.6, "s": 0.61, "beta": 11.7}',
        -12.9,
        3,
        True,
        0.2,
        None,
        *_RUN,
        1.5,
        2.0,
        0.60,
        0.7,
        -25.0,
        1.5,
        0.50,
        False,
        False,
        *_NO_SPEND,
        *_CLV_TAIL,
    ),
    (
        "bgnbd",
        "full",
        '{"r": 0.3, "alpha": 4.0, "a": 0.8, "b": 2.5}',
        -20.1,
        3,
        True,
        0.1,
        None,
        *_RUN,
        *[None] * 8,
        True,
        *_NO_SPEND,
        *_CLV_TAIL,
    ),
    (
        "gamma_gamma",
        "full",
        '{"p": 6.2, "q": 3.7, "gamma": 15.4}',
        -8.0,
        1,
        True,
        0.1,
        None,
        *_RUN,
        *[None] * 8,
        True,
        *_NO_SPEND,
        *_CLV_TAIL,
    ),
]
CLV_TRACKING_ROWS = [
    (
        model,
        period,
        date(2011, 1, 3) + timedelta(days=7 * period - 1),
        period > 1,
        actual,
        cumulative,
        predicted,
        predicted_cumulative,
    )
    for model, rows in (
        ("bgnbd", ((1, 1, 1, 1.2, 1.2), (2, 1, 2, 0.8, 2.0))),
        ("pareto_nbd", ((1, 1, 1, 1.0, 1.0), (2, 1, 2, 0.5, 1.5))),
    )
    for period, actual, cumulative, predicted, predicted_cumulative in rows
]
CLV_CONDITIONAL_ROWS = [
    (model, frequency, str(frequency), customers, actual, predicted)
    for model, predictions in (
        ("bgnbd", (0.3, 1.4)),
        ("naive", (0.0, 1.5)),
        ("pareto_nbd", (0.4, 1.2)),
    )
    for (frequency, customers, actual), predicted in zip(
        ((0, 2, 0.5), (1, 1, 1.0)), predictions, strict=True
    )
]
CUSTOMER_ROWS = [
    (key, country, first, first.replace(day=1), last, orders, orders >= 2, revenue, 0.0, *rest)
    for key, country, first, last, orders, revenue, *rest in _CUSTOMERS
]
CUSTOMER_RATE_ROWS = [
    (date(2010, 12, 1), 2, 2, 0, 0, 0, 2, 0, 0.0, 0.0, 0.0),
    (date(2011, 1, 1), 3, 1, 2, 1, 1, 3, 1, 1 / 3, 1 / 3, 1 / 3),
]
COHORT_ROWS = [
    (date(2010, 12, 1), 0, date(2010, 12, 1), 2, 2, 1.0, 80.0, 40.0),
    (date(2010, 12, 1), 1, date(2011, 1, 1), 2, 1, 0.5, 30.0, 15.0),
    (date(2011, 1, 1), 0, date(2011, 1, 1), 1, 1, 1.0, 20.0, 20.0),
]
# day, reviews, mean, ratings 1-5, CSAT, NPS answers, promoters, passives, detractors, NPS,
# orders, review rate
FEEDBACK_ROWS = [
    # 3 reviews on the 3rd, of 2 of its 3 orders (review_rate 2 / 3, reviewed_orders 2).
    (date(2011, 1, 3), 3, 10 / 3, 1, 0, 0, 1, 1, 2 / 3, 4, 2, 1, 1, 25.0, 3, 2 / 3, 2),
    (date(2011, 1, 5), 0, None, 0, 0, 0, 0, 0, None, 0, 0, 0, 0, None, 0, None, 0),
    (date(2011, 1, 10), 1, 2.0, 0, 1, 0, 0, 0, 0.0, 1, 1, 0, 0, 100.0, 1, 1.0, 1),
]
PRODUCT_RATING_ROWS = [
    ("84879", "Decor", 2, 1.0, 2, 0.0),
    ("22423", "Kitchen & <Dining>", 3, 2.0, 2, 1 / 3),
    ("85123A", "Decor", 4, 4.5, 0, 1.0),
]

# Week of 2011-01-03: DHL 10 delivered, 2 late; Royal Mail 4 delivered, 2 late (1 in transit).
FULFILMENT_ROWS = [
    (date(2011, 1, 3), "DHL", "North", 10, 10, 8, 2, 0.8, 0.5, 1.0, 2.0, 4.0),
    (date(2011, 1, 4), "Royal Mail", "South", 5, 4, 2, 2, 0.5, 1.0, 2.0, 4.0, 6.0),
]
DELIVERY_FEEDBACK_ROWS = [
    ("late", 3, 3, 2.0, 2, 5.0, -50.0),
    ("on time", 9, 8, 4.5, 5, 8.6, 40.0),
]
