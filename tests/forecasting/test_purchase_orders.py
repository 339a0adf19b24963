"""Purchase orders per supplier on hand-made catalogs: order days, minimums met by pulling
SKUs forward, money and units as a merchandiser reads them, and the one-sentence reasons
(the supplier terms they rest on are tested in test_supplier_terms.py)."""

import datetime as dt

import polars as pl
import pytest

from config.settings_suppliers import SupplierSettings
from forecasting.purchase_orders import (
    minimum_text,
    order_day,
    purchase_orders,
    schedule_orders,
    weekdays_text,
)
from forecasting.reorder_reasons import levels_sentence, order_sentence
from forecasting.suppliers import (
    supplier_terms,
    with_supplier,
)
from tests.forecasting.test_reorder import AS_OF, _catalog, _forecast, _recommend, _stock

MONDAY, THURSDAY = 1, 4


CATALOG = _catalog(
    [
        {"sku": "LOW", "supplier": "ACME"},
        {"sku": "SLOW", "supplier": "ACME"},
        {"sku": "LATER", "supplier": "ACME"},
        {"sku": "MOQ", "supplier": "BETA"},
    ]
)


def _supplied(forecast_days=40, **settings):
    """Two suppliers: ACME (LOW due now, SLOW and LATER not due) and BETA (MOQ)."""
    # 10 a day each: ROP 70, up to 140. LOW at 30 is below it now; MOQ at 100 falls to it on
    # day 3; SLOW (300) reaches it on day 23, LATER (400) on day 33.
    stock = _stock([("LOW", 30, 0), ("SLOW", 300, 0), ("LATER", 400, 0), ("MOQ", 100, 0)])
    forecast = _forecast(["LOW", "SLOW", "LATER", "MOQ"], days=forecast_days)
    abc = pl.DataFrame({"sku": ["LOW", "SLOW", "LATER", "MOQ"], "abc_class": ["B"] * 4})
    return _recommend(forecast, CATALOG, stock, abc=abc, **settings)


def _terms(**suppliers):
    settings = SupplierSettings(**suppliers)
    return supplier_terms(with_supplier(CATALOG, settings), settings)


def test_order_day_is_the_last_order_day_before_the_need_else_the_first_after():
    # Bug caught: an order placed on a day the supplier takes none.
    thursday = dt.date(2024, 7, 4)
    assert order_day(thursday, AS_OF, [MONDAY, THURSDAY]) == thursday
    assert order_day(dt.date(2024, 7, 6), AS_OF, [MONDAY, THURSDAY]) == thursday  # Saturday
    assert order_day(AS_OF, AS_OF, [THURSDAY]) == thursday  # needed today, first order day after
    assert order_day(dt.date(2024, 7, 3), AS_OF, [MONDAY]) == AS_OF
    # needed today by a supplier taking orders on Sundays only: next Sunday, never yesterday
    assert order_day(AS_OF, AS_OF, [7]) == dt.date(2024, 7, 7)


def test_order_days_in_words():
    """Bug caught: weekday names shifted by one (ISO 1 named Tuesday) in the list's
    "orders on" column, or seven days not read as every day."""
    assert weekdays_text([MONDAY, THURSDAY]) == "Mon, Thu"
    assert weekdays_text([7]) == "Sun"
    assert weekdays_text(list(range(1, 8))) == "every day"


def test_without_supplier_terms_the_list_is_the_one_before():
    # Bug caught: default terms moving orders or adding lines on a shop that set none.
    got = _supplied()
    assert got["sku"].to_list() == ["LOW", "MOQ"]
    assert got["order_by"].to_list() == got["needed_by"].to_list() == [AS_OF, dt.date(2024, 7, 4)]
    assert got["urgency"].to_list() == ["now", "before next review"]
    assert got["supplier_minimum"].to_list() == [None, None]


def test_order_days_are_respected_and_the_reason_says_a_line_is_late():
    # Bug caught: order_by on a weekday the supplier does not take orders.
    terms = {"by_name": {"ACME": {"order_days": [THURSDAY]}, "BETA": {"order_days": [MONDAY]}}}
    got = _supplied(suppliers=terms)
    rows = {row["sku"]: row for row in got.iter_rows(named=True)}
    assert rows["LOW"]["order_by"] == dt.date(2024, 7, 4)  # needed Monday, ACME orders Thursdays
    assert rows["LOW"]["needed_by"] == AS_OF
    assert rows["MOQ"]["order_by"] == AS_OF  # needed Thursday, BETA's Monday before it
    assert all(day.isoweekday() in (MONDAY, THURSDAY) for day in got["order_by"])
    assert rows["LOW"]["reason"] == (
        "Order 110 by 2024-07-04 (ACME's first order day after 2024-07-01): stock 30 "
        "(on hand + on order) is below its reorder point 70."
    )
    assert rows["MOQ"]["reason"] == (
        "Order 40 by 2024-07-01: stock 100 (on hand + on order) falls to its reorder point 70 "
        "by 2024-07-04."
    )


def test_a_supplier_minimum_pulls_the_soonest_skus_forward():
    # Bug caught: a purchase order below the supplier's minimum sent as it is.
    # ACME's minimum 400.00 at unit cost 2: LOW orders 110 (220.00); SLOW, needed first,
    # adds its order at the reorder point, 140 - 70 = 70 (140.00): 360.00, still short;
    # LATER adds 70 more: 500.00 meets it.
    got = _supplied(suppliers={"by_name": {"ACME": {"min_order_value": 400}}})
    acme = got.filter(pl.col("supplier") == "ACME")
    assert acme["sku"].to_list() == ["LATER", "LOW", "SLOW"]
    assert acme["pulled_forward"].to_list() == [True, False, True]
    assert acme["order_by"].to_list() == [AS_OF] * 3  # on LOW's purchase order
    assert acme["urgency"].to_list() == ["pulled forward", "now", "pulled forward"]
    slow = acme.row(2, named=True)
    assert (slow["order_qty"], slow["order_value"], slow["needed_by"]) == (
        70,
        140.0,
        dt.date(2024, 7, 24),
    )
    assert slow["reason"] == (
        "Order 70 by 2024-07-01: pulled forward to reach ACME's minimum order of 400.00, "
        "otherwise due 2024-07-24."
    )
    orders = purchase_orders(got, _terms(by_name={"ACME": {"min_order_value": 400}}))
    acme_po = orders.filter(pl.col("supplier") == "ACME").row(0, named=True)
    assert (acme_po["lines"], acme_po["units"], acme_po["order_value"]) == (3, 250, 500.0)
    assert (acme_po["pulled_forward_lines"], acme_po["meets_minimum"]) == (2, True)


def test_a_sku_whose_stock_outlasts_the_forecast_is_never_pulled_forward():
    # Bug caught: a minimum met by adding to a SKU that needs nothing for over a month.
    # With 25 forecast days LATER (needed on day 33) is beyond the forecast: only SLOW is
    # pulled, and the order stays under its minimum (220.00 + 140.00 < 400.00).
    minimum = {"by_name": {"ACME": {"min_order_value": 400}}}
    got = _supplied(forecast_days=25, suppliers=minimum)
    assert got.filter(pl.col("pulled_forward"))["sku"].to_list() == ["SLOW"]
    po = purchase_orders(got, _terms(**minimum)).filter(pl.col("supplier") == "ACME")
    assert po.select("order_value", "meets_minimum").row(0) == (360.0, False)


def test_a_sku_without_a_reliable_forecast_is_never_pulled_forward():
    # Bug caught: a SKU planned by min/max (its forecast lost to the benchmarks) pulled
    # forward on the day that same forecast says it reaches its reorder point. Without
    # SLOW, LATER is pulled and ACME's order stays short (220.00 + 140.00 < 400.00).
    stock = _stock([("LOW", 30, 0), ("SLOW", 300, 0), ("LATER", 400, 0), ("MOQ", 100, 0)])
    forecast = _forecast(["LOW", "SLOW", "LATER", "MOQ"], days=40).with_columns(
        pl.when(pl.col("sku") == "SLOW")
        .then(pl.lit("loses to forecasting zero"))
        .alias("reliability_reason")
    )
    minimum = {"by_name": {"ACME": {"min_order_value": 400}}}
    got = _recommend(forecast, CATALOG, stock, suppliers=minimum)
    assert got.filter(pl.col("pulled_forward"))["sku"].to_list() == ["LATER"]
    assert "SLOW" not in got["sku"].to_list()


def test_a_minimum_in_units_and_a_minimum_nothing_can_reach():
    # Bug caught: pulling forward forever, or a purchase order silently under its minimum.
    got = _supplied(suppliers={"by_name": {"BETA": {"min_order_qty": 500}}})
    beta = got.filter(pl.col("supplier") == "BETA")
    assert beta["sku"].to_list() == ["MOQ"]  # nothing else of BETA to pull forward
    terms = _terms(by_name={"BETA": {"min_order_qty": 500}})
    po = purchase_orders(got, terms).filter(pl.col("supplier") == "BETA").row(0, named=True)
    assert (po["units"], po["min_order_qty"], po["meets_minimum"]) == (40, 500, False)


def test_money_is_in_cents_and_quantities_in_whole_units():
    # Bug caught: 414.09000000000003 in the merchandiser's file (387 x 1.07 in floats).
    catalog = _catalog([{"sku": "LOW", "unit_cost": 1.07}])
    got = _recommend(_forecast(["LOW"], per_day=7.3), catalog, _stock([("LOW", 0, 0)]))
    row = got.row(0, named=True)
    assert str(row["order_value"]) == str(round(row["order_qty"] * 1.07, 2))
    for name in ("lead_time_demand", "safety_stock", "reorder_point", "order_up_to"):
        assert isinstance(row[name], int), name
    for name in ("stockout_probability", "service_level", "days_of_cover", "priority"):
        assert row[name] is None or row[name] == round(row[name], 3), name


ROW = {
    "order_qty": 1200,
    "order_by": AS_OF,
    "needed_by": AS_OF,
    "supplier": "Kent Kitchenware",
    "supplier_minimum": None,
    "pulled_forward": False,
    "inventory_position": 1016,
    "reorder_point": 1200,
    "catalog_assumed": False,
}


@pytest.mark.parametrize(
    ("facts", "sentence"),
    [
        (
            {},
            "Order 1,200 by 2024-07-01: stock 1,016 (on hand + on order) is below its reorder point 1,200.",
        ),
        (
            {"inventory_position": 1200},
            "Order 1,200 by 2024-07-01: stock 1,200 (on hand + on order) is at its reorder point 1,200.",
        ),
        (
            {
                "inventory_position": 1300,
                "needed_by": dt.date(2024, 7, 5),
                "order_by": dt.date(2024, 7, 4),
            },
            "Order 1,200 by 2024-07-04: stock 1,300 (on hand + on order) falls to its reorder point "
            "1,200 by 2024-07-05.",
        ),
        (
            {"order_by": dt.date(2024, 7, 3)},
            "Order 1,200 by 2024-07-03 (Kent Kitchenware's first order day after 2024-07-01): stock "
            "1,016 (on hand + on order) is below its reorder point 1,200.",
        ),
        (
            {
                "pulled_forward": True,
                "supplier": "Harbourside Imports",
                "supplier_minimum": "150.00",
                "needed_by": dt.date(2024, 7, 18),
            },
            "Order 1,200 by 2024-07-01: pulled forward to reach Harbourside Imports' minimum order "
            "of 150.00, otherwise due 2024-07-18.",
        ),
        (
            {"catalog_assumed": True},
            "Order 1,200 by 2024-07-01: stock 1,016 (on hand + on order) is below its reorder point "
            "1,200. Lead time, cost, MOQ and pack size are assumed (no catalog; inventory.assumed_*).",
        ),
        (
            {"reliability_reason": "loses to seasonal naive"},
            "Order 1,200 by 2024-07-01: no reliable forecast (loses to seasonal naive), so min/max "
            "on its own history: stock 1,016 is at or below its min 1,200.",
        ),
        (
            {"review_before_reordering": True},
            "Order 1,200 by 2024-07-01: stock 1,016 (on hand + on order) is below its reorder point "
            "1,200. Review before reordering: its ratings or returns got worse.",
        ),
    ],
    ids=[
        "below",
        "at",
        "falls-to",
        "late",
        "pulled-forward",
        "assumed-terms",
        "no-forecast",
        "review-first",
    ],
)
def test_the_sentence_of_hand_made_rows(facts, sentence):
    # Bug caught: the reason's 300-character paragraph whose numbers seemed to disagree
    # ("covers 47 days ... 21 % chance of running out"): one sentence, one why.
    assert order_sentence(ROW | facts) == sentence


def test_the_sentence_of_a_sku_whose_stock_is_unknown():
    assert levels_sentence({"reorder_point": 69, "order_up_to": 141, "catalog_assumed": False}) == (
        "Stock unknown (no inventory feed): order when on hand + on order is at or below 69, "
        "up to 141."
    )


@pytest.mark.parametrize(
    ("min_value", "min_qty", "text"),
    [
        (250.0, 0, "250.00"),
        (0.0, 100, "100 units"),
        (1250.0, 1000, "1,250.00 and 1,000 units"),
        (0.5, 1, "0.50 and 1 units"),
        (0.0, 0, None),
    ],
)
def test_a_minimum_in_words(min_value, min_qty, text):
    """Bugs caught: a minimum of 0 named ("0.00", "0 units") or a small one (0.50, 1 unit)
    left out, the parts joined wrongly, or a supplier without a minimum given an empty
    text instead of none."""
    assert minimum_text(min_value, min_qty) == text


def test_the_order_day_walks_every_day_back_and_starts_after_the_need():
    """Bugs caught: the walk back to the supplier's last order day skipping days (a Friday
    before a Saturday need missed, the order pushed a week later), and the walk forward
    starting two days after the need (a Tuesday supplier needed on Monday ordering the
    Tuesday a week later)."""
    saturday, friday = dt.date(2024, 7, 6), dt.date(2024, 7, 5)
    assert order_day(saturday, AS_OF, [5]) == friday
    assert order_day(AS_OF, AS_OF, [2]) == dt.date(2024, 7, 2)


def _po_terms(min_value=0.0, min_qty=0):
    return pl.DataFrame(
        {
            "supplier": ["ACME"],
            "min_order_value": [min_value],
            "min_order_qty": [min_qty],
            "order_days": [list(range(1, 8))],
        }
    )


def _po_lines(skus, qty, cost, needed_by):
    return pl.DataFrame(
        {
            "sku": skus,
            "supplier": ["ACME"] * len(skus),
            "needed_by": needed_by,
            "order_qty": qty,
            "unit_cost": cost,
        }
    )


def test_a_purchase_order_at_its_minimum_pulls_nothing_forward():
    """Bugs caught: an order worth exactly the minimum (200 x 2.00 = 400.00) or holding
    exactly the minimum units treated as short (a tolerance added to the minimum, or > for
    >=) and a SKU pulled forward for nothing; its value taken as units / cost (100.00)."""
    due = _po_lines(["DUE"], [200], [2.0], [AS_OF])
    waiting = _po_lines(["NEXT"], [10], [2.0], [AS_OF + dt.timedelta(days=5)])
    for terms in (_po_terms(min_value=400.0), _po_terms(min_qty=200)):
        got = schedule_orders(due, waiting, terms, AS_OF)
        assert got["sku"].to_list() == ["DUE"]


def test_a_purchase_order_short_of_its_minimum_pulls_the_soonest_until_it_meets_it():
    """Bugs caught: an order 0.50 short of its minimum taken as meeting it (a tolerance of
    a whole unit of money), and a pulled SKU's value counted as units / cost, so the next
    SKU is pulled too. DUE is worth 399.50 of a 400.00 minimum; SOON (1 x 4.00) lifts it
    to 403.50, so LATER stays waiting (1 / 4.00 would leave it 0.25 short)."""
    due = _po_lines(["DUE"], [799], [0.5], [AS_OF])
    days = [AS_OF + dt.timedelta(days=3), AS_OF + dt.timedelta(days=9)]
    waiting = _po_lines(["SOON", "LATER"], [1, 100], [4.0, 2.0], days)
    got = schedule_orders(due, waiting, _po_terms(min_value=400.0), AS_OF)
    assert got.select("sku", "pulled_forward").rows() == [("DUE", False), ("SOON", True)]


def test_each_purchase_order_of_a_supplier_pulls_in_day_order():
    """Bug caught: a supplier's purchase orders visited in no fixed order, so a later order
    takes the SKU an earlier one should pull forward. ACME has an order of 1 unit on each of
    six days (D0 on day 0 .. D5 on day 5), each short of the 2-unit minimum; six SKUs of 1
    unit wait (W0 needed soonest): day i's order must pull Wi, the soonest left."""
    days = [AS_OF + dt.timedelta(days=n) for n in range(6)]
    due = _po_lines([f"D{n}" for n in range(6)], [1] * 6, [1.0] * 6, days)
    later = [day + dt.timedelta(days=20) for day in days]
    waiting = _po_lines([f"W{n}" for n in range(6)], [1] * 6, [1.0] * 6, later)
    got = schedule_orders(due, waiting, _po_terms(min_qty=2), AS_OF)
    pulled = got.filter(pl.col("pulled_forward")).sort("sku")
    assert pulled["order_by"].to_list() == days


def test_a_purchase_order_of_one_unit_at_its_minimum_and_its_delivery():
    """Bugs caught: a line of 1 unit left off its purchase order, an order exactly at its
    minimum value or units reported below it (or one 0.43 short reported as meeting it),
    the value rounded to 0.1 (3.07 read 3.1),
    and the delivery expected lead-time days before the order instead of after.

    ACME's order on Monday 1 July: ONE (1 unit, 1.07) and TWO (2 units, 2.00, lead 4.5
    days): 3 units worth 3.07, the minimum exactly; delivered by the longest lead, 5 days
    later (4.5 rounded up)."""
    lines = pl.DataFrame(
        {
            "sku": ["ONE", "TWO"],
            "supplier": ["ACME", "ACME"],
            "order_by": [AS_OF, AS_OF],
            "order_qty": [1, 2],
            "order_value": [1.07, 2.0],
            "pulled_forward": [False, False],
            "lead_time_days": [3.0, 4.5],
            "deferred": [False, False],
        }
    )
    po = purchase_orders(lines, _po_terms(min_value=3.07, min_qty=3)).row(0, named=True)
    assert (po["lines"], po["units"], po["order_value"], po["meets_minimum"]) == (2, 3, 3.07, True)
    assert po["expected_delivery"] == dt.date(2024, 7, 6)
    # 0.43 short of a 3.50 minimum is short (not within a whole unit of money of it)
    assert purchase_orders(lines, _po_terms(min_value=3.5))["meets_minimum"].to_list() == [False]
