"""The tiny warehouse's demand, forecast, backtest and reorder rows (tests/reports/tiny_warehouse.py)."""

from __future__ import annotations

from datetime import date, timedelta

# (sku, description, abc, pattern, on_hand, on_order, position, lead time, lt demand, safety,
#  reorder point, order-up-to, qty, rounding, order_by, cover, stockout date, p(stockout),
#  unit cost, order value, service level, reason)
REORDER_ROWS = [
    (
        "85123A",
        "WHITE HANGING HEART T-LIGHT <HOLDER> & CO",
        "A",
        "smooth",
        10,
        0,
        10,
        7.0,
        42.0,
        12.5,
        54.5,
        96.0,
        96,
        "rounded up from 86 to 96: 3 packs of 32",
        date(2011, 1, 16),
        1.7,
        date(2011, 1, 17),
        0.62,
        2.55,
        244.8,
        0.98,
        "below reorder point: 10 on hand vs 54.5",
    ),
    (
        "22423",
        "REGENCY CAKESTAND 3 TIER",
        "B",
        "erratic",
        2,
        0,
        2,
        14.0,
        28.0,
        9.0,
        37.0,
        40.0,
        40,
        "rounded up from 38 to 40: 10 packs of 4",
        date(2011, 1, 15),
        1.0,
        date(2011, 1, 16),
        0.81,
        10.95,
        438.0,
        0.95,
        "stock runs out before the next delivery",
    ),
    (
        "84879",
        "ASSORTED COLOUR BIRD ORNAMENT",
        "C",
        "intermittent",
        0,
        8,
        8,
        10.0,
        12.0,
        3.0,
        15.0,
        24.0,
        16,
        "no rounding: pack size 1",
        date(2011, 1, 15),
        0.0,
        date(2011, 1, 15),
        0.9,
        1.69,
        27.04,
        0.9,
        "out of stock now",
    ),
]

# What changed since the previous list (as of 2011-01-13): 22423 new, 23166 dropped, 85123A
# up 64 -> 96 (+32), 84879 down 24 -> 16 (-8).
AS_OF, PREVIOUS_AS_OF = date(2011, 1, 14), date(2011, 1, 13)
REORDER_CHANGE_ROWS = [
    (AS_OF, PREVIOUS_AS_OF, "22423", "REGENCY CAKESTAND 3 TIER", "new", None, 40, None),
    (AS_OF, PREVIOUS_AS_OF, "23166", "MEDIUM CERAMIC <JAR>", "dropped", 12, None, None),
    (AS_OF, PREVIOUS_AS_OF, "85123A", "WHITE HANGING HEART", "quantity up", 64, 96, 32),
    (AS_OF, PREVIOUS_AS_OF, "84879", "ASSORTED COLOUR BIRD ORNAMENT", "quantity down", 24, 16, -8),
]


def demand_rows() -> list[tuple]:
    rows = []
    for sku, base in (("85123A", 6), ("22423", 3)):
        for offset in range(14):
            day = date(2011, 1, 1) + timedelta(days=offset)
            stockout = sku == "22423" and offset == 12
            units = 0 if stockout else base + offset % 3
            rows.append(
                (
                    sku,
                    day,
                    True,
                    units,
                    units // 2,
                    units * 2.5,
                    0 if stockout else 20,
                    stockout,
                    units,
                )
            )
    return rows


def forecast_rows() -> list[tuple]:
    rows = []
    for sku, level in (("85123A", 6.5), ("22423", 3.2)):
        for offset in range(7):
            day = date(2011, 1, 15) + timedelta(days=offset)
            rows.append(
                (sku, day, level, level - 2, level + 2, level - 3, level + 3.5, "AutoETS", "smooth")
            )
    return rows


HOLDOUT = (date(2011, 1, 8), date(2011, 1, 14))
# 85123A: selected WAPE 2/8 = 0.250 on the holdout; the class table's selected row beats ADIDA.
BACKTEST_ROWS = [
    (
        "85123A",
        "selected",
        2,
        *HOLDOUT,
        7,
        8.0,
        7.0,
        2.0,
        1.0,
        -1.0,
        1.0,
        0.29,
        "smooth",
        "mean(ADIDA, TSB)",
    ),
    (
        "22423",
        "selected",
        2,
        *HOLDOUT,
        7,
        4.0,
        5.0,
        3.0,
        1.0,
        1.0,
        1.0,
        0.43,
        "smooth",
        "mean(ADIDA, TSB)",
    ),
]
# (model, class, skus, wape, wape_7d, mase, bias, vs seasonal naive, 7-day vs seasonal naive,
#  holdout days, chosen, combined, coverage 80 %, coverage 95 %)
NOT_SELECTED = (None, None, None, None)
ACCURACY_ROWS = [
    ("selected", "all", 2, 0.417, 0.167, 0.36, 0.0, 0.5, 0.418, *HOLDOUT, None, None, 0.75, 0.9),
    ("ADIDA", "all", 2, 0.5, 0.25, 0.4, -0.1, 0.6, 0.625, *HOLDOUT, *NOT_SELECTED),
    ("Zero", "all", 2, 1.0, 1.0, 1.2, -1.0, 1.2, 2.5, *HOLDOUT, *NOT_SELECTED),
    ("SeasonalNaive", "all", 2, 0.833, 0.4, 0.7, 0.2, 1.0, 1.0, *HOLDOUT, *NOT_SELECTED),
    (
        "selected",
        "smooth",
        2,
        0.417,
        0.167,
        0.36,
        0.0,
        0.5,
        0.418,
        *HOLDOUT,
        "mean(ADIDA, TSB)",
        2,
        0.75,
        0.9,
    ),
    ("ADIDA", "smooth", 2, 0.5, 0.25, 0.4, -0.1, 0.6, 0.625, *HOLDOUT, *NOT_SELECTED),
    ("Zero", "smooth", 2, 1.0, 1.0, 1.2, -1.0, 1.2, 2.5, *HOLDOUT, *NOT_SELECTED),
    ("SeasonalNaive", "smooth", 2, 0.833, 0.4, 0.7, 0.2, 1.0, 1.0, *HOLDOUT, *NOT_SELECTED),
]
# forecasts.sku_reliability: 85123A beats both benchmarks; 22423 loses to forecasting zero.
RELIABILITY_ROWS = [
    ("85123A", "smooth", "mean(ADIDA, TSB)", 2, 8.0, 2.0, 8.0, 3.0, True, True, True, 7, None),
    (
        "22423",
        "smooth",
        "mean(ADIDA, TSB)",
        2,
        4.0,
        5.0,
        4.0,
        6.0,
        False,
        True,
        False,
        2,
        "2 days with sales in the last 90 days; over its 2 backtest windows the forecast "
        "missed weekly demand by 5.0 units, forecasting zero by 4.0",
    ),
]
