"""The tiny warehouse's web-traffic marts: conversion, funnel and cart rows (tiny_warehouse.py has the known answers)."""

from __future__ import annotations

from datetime import date

NO_SESSIONS = "(no sessions)"
# day, device, source, medium, country, landing page, visitor type, sessions, with cart,
# with checkout, with purchase, carts and checkouts abandoned, revenue, users, users who
# bought, conversion, cart and checkout abandonment, user conversion
CONVERSION_ROWS = [
    (
        date(2011, 1, 3),
        "desktop",
        "google",
        "cpc",
        "United Kingdom",
        "/home",
        "new",
        4,
        2,
        1,
        1,
        1,
        0,
        50.0,
        3,
        1,
        0.25,
        0.5,
        0.0,
        1 / 3,
    ),
    (
        date(2011, 1, 3),
        "mobile",
        "newsletter",
        "email",
        "France",
        "/sale",
        "returning",
        2,
        1,
        0,
        0,
        1,
        0,
        0.0,
        2,
        0,
        0.0,
        1.0,
        None,
        0.0,
    ),
    (date(2011, 1, 5), *[NO_SESSIONS] * 6, 0, 0, 0, 0, 0, 0, 0.0, 0, 0, None, None, None, None),
    (
        date(2011, 1, 10),
        "desktop",
        "direct",
        "(none)",
        "United Kingdom",
        "/home",
        "new",
        2,
        1,
        1,
        1,
        0,
        0,
        40.0,
        2,
        1,
        0.5,
        0.0,
        0.0,
        0.5,
    ),
]
# (day, scope, funnel type) -> visitors, viewed, carted, checked out, purchased
FUNNEL_COUNTS = {
    (date(2011, 1, 3), "session", "closed"): (6, 5, 3, 1, 1),
    (date(2011, 1, 3), "session", "open"): (6, 5, 3, 1, 1),
    (date(2011, 1, 3), "user", "closed"): (5, 4, 2, 1, 0),
    (date(2011, 1, 3), "user", "open"): (5, 4, 3, 1, 1),
    (date(2011, 1, 5), "session", "closed"): (0, 0, 0, 0, 0),
    (date(2011, 1, 10), "session", "closed"): (2, 2, 1, 1, 1),
    (date(2011, 1, 10), "session", "open"): (2, 2, 1, 1, 1),
    (date(2011, 1, 10), "user", "closed"): (2, 2, 1, 1, 1),
    (date(2011, 1, 10), "user", "open"): (2, 2, 1, 1, 1),
}
# day, carts, abandoned in session, in window, the two rates, value left, checkouts, ...
CART_ROWS = [
    (date(2011, 1, 3), 3, 2, 1, 2 / 3, 1 / 3, 35.5, 1, 0, 0, 0.0, 0.0),
    (date(2011, 1, 5), 0, 0, 0, None, None, 0.0, 0, 0, 0, None, None),
    (date(2011, 1, 10), 1, 0, 0, 0.0, 0.0, 0.0, 2, 1, 1, 0.5, 0.5),
]


def funnel_rows() -> list[tuple]:
    def rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    return [
        (
            day,
            scope,
            kind,
            *counts,
            rate(counts[2], counts[1]),
            rate(counts[3], counts[2]),
            rate(counts[4], counts[3]),
            rate(counts[4], counts[1]),
            rate(counts[4], counts[0]),
        )
        for (day, scope, kind), counts in FUNNEL_COUNTS.items()
    ]
