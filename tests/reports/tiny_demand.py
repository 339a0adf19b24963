"""The tiny warehouse's demand, forecast, backtest and reorder rows (tests/reports/tiny_warehouse.py)."""

from __future__ import annotations

from datetime import date, timedelta

# The reorder list: two suppliers, one SKU of each class, one pulled forward to a minimum;
# the columns a row leaves out are empty (reorder_table() gives them the list's schema).
REORDER_ROWS = [
    {
        "sku": "85123A",
        "description": "WHITE HANGING HEART T-LIGHT <HOLDER> & CO",
        "supplier": "Harbourside Imports",
        "abc_class": "A",
        "demand_pattern": "smooth",
        "on_hand": 10,
        "on_order": 0,
        "inventory_position": 10,
        "lead_time_days": 7.0,
        "lead_time_demand": 42,
        "safety_stock": 12,
        "reorder_point": 54,
        "order_up_to": 96,
        "order_qty": 96,
        "rounding": "rounded up from 86 to 96: 3 packs of 32",
        "order_by": date(2011, 1, 16),
        "needed_by": date(2011, 1, 14),
        "urgency": "now",
        "pulled_forward": False,
        "days_of_cover": 1.7,
        "projected_stockout_date": date(2011, 1, 17),
        "stockout_probability": 0.62,
        "unit_cost": 2.55,
        "order_value": 244.8,
        "service_level": 0.98,
        "reason": "Order 96 by 2011-01-16 (Harbourside Imports's first order day after "
        "2011-01-14): stock 10 (on hand + on order) is below its reorder point 54.",
    },
    {
        "sku": "22423",
        "description": "REGENCY CAKESTAND 3 TIER",
        "supplier": "Kent <Kitchen> & Co",
        "abc_class": "B",
        "demand_pattern": "erratic",
        "on_hand": 2,
        "on_order": 0,
        "inventory_position": 2,
        "lead_time_days": 14.0,
        "lead_time_demand": 28,
        "safety_stock": 9,
        "reorder_point": 37,
        "order_up_to": 40,
        "order_qty": 40,
        "rounding": "rounded up from 38 to 40: 10 packs of 4",
        "order_by": date(2011, 1, 15),
        "needed_by": date(2011, 1, 15),
        "urgency": "now",
        "pulled_forward": False,
        "days_of_cover": 1.0,
        "projected_stockout_date": date(2011, 1, 16),
        "stockout_probability": 0.81,
        "unit_cost": 10.95,
        "order_value": 438.0,
        "service_level": 0.95,
        "reason": "Order 40 by 2011-01-15: stock runs out before the next delivery.",
    },
    {
        "sku": "84879",
        "description": "ASSORTED COLOUR BIRD ORNAMENT",
        "supplier": "Harbourside Imports",
        "abc_class": "C",
        "demand_pattern": "intermittent",
        "on_hand": 0,
        "on_order": 8,
        "inventory_position": 8,
        "lead_time_days": 10.0,
        "lead_time_demand": 12,
        "safety_stock": 3,
        "reorder_point": 15,
        "order_up_to": 24,
        "order_qty": 16,
        "rounding": "no rounding: pack size 1",
        "order_by": date(2011, 1, 16),
        "needed_by": date(2011, 1, 20),
        "urgency": "pulled forward",
        "pulled_forward": True,
        "supplier_minimum": "250.00",
        "days_of_cover": 0.0,
        "projected_stockout_date": date(2011, 1, 15),
        "stockout_probability": 0.9,
        "unit_cost": 1.69,
        "order_value": 27.04,
        "service_level": 0.9,
        "reason": "Order 16 by 2011-01-16: pulled forward to reach Harbourside Imports's "
        "minimum order of 250.00, otherwise due 2011-01-20; out of stock now.",
    },
]
PURCHASE_ORDER_ROWS = [
    {
        "supplier": "Kent <Kitchen> & Co",
        "order_date": date(2011, 1, 15),
        "lines": 1,
        "units": 40,
        "order_value": 438.0,
        "pulled_forward_lines": 0,
        "min_order_value": 0.0,
        "min_order_qty": 0,
        "meets_minimum": True,
        "order_days": "every day",
        "expected_delivery": date(2011, 1, 29),
    },
    {
        "supplier": "Harbourside Imports",
        "order_date": date(2011, 1, 16),
        "lines": 2,
        "units": 112,
        "order_value": 271.84,
        "pulled_forward_lines": 1,
        "min_order_value": 250.0,
        "min_order_qty": 0,
        "meets_minimum": True,
        "order_days": "Sun, Thu",
        "expected_delivery": date(2011, 1, 26),
    },
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
        None,
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
        None,
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
