"""marts.customers: the R x F segment map read at every edge of its bands."""

from datetime import date, timedelta

from tests.assets.sql.test_orders_revenue import line

MODELS = (
    "staging.stg_catalog",
    "staging.stg_order_lines",
    "marts.customer_clv",
    "marts.customers",
)
DAY0 = date(2011, 3, 1)
# (R, F) -> segment. Three customers per R and per F among 15 buyers, so each score is
# exactly the one chosen here (1 + fifths of the buyers ranked strictly below). The pairs
# sit on the bands' edges: R = 3 and F = 4 for Loyal, F = 2 and 3 for Potential loyalists,
# R = 2 for Cannot lose them and At risk, and so on.
SEGMENTS = {
    (5, 4): "Champions",
    (5, 5): "Champions",
    (5, 1): "New customers",
    (4, 2): "Potential loyalists",
    (4, 3): "Potential loyalists",
    (4, 1): "Promising",
    (3, 4): "Loyal",
    (3, 3): "Need attention",
    (3, 2): "About to sleep",
    (2, 5): "Cannot lose them",
    (2, 4): "At risk",
    (2, 3): "At risk",
    (1, 5): "Cannot lose them",
    (1, 2): "Hibernating",
    (1, 1): "Hibernating",
}


def test_segments_at_the_edges_of_their_score_bands(warehouse):
    """Catches any band of the segment map that loses its edge (`>=` written `>`, `<=`
    written `<`, `between 2 and 3` losing 2 or 3): e.g. R = 3, F = 4 falling out of Loyal,
    R = 4, F = 2 out of Potential loyalists, R = 2, F = 3 out of At risk."""
    orders = []
    for r, f in SEGMENTS:
        customer = f"r{r}f{f}"
        # F = the number of orders; R = how recent the last one is (10 days per step)
        days = [*range(1, f), 10 * r]
        for number, day in enumerate(days):
            at = f"{DAY0 + timedelta(days=day)} 10:00"
            orders.append(line(f"{customer}-{number}", at, "X", 1, 10.0, customer))
    warehouse.insert("orders", orders)
    warehouse.build(*MODELS)
    rows = warehouse.rows(
        "select distinct c.r_score, c.f_score, c.rfm_segment, r.customer_id"
        " from marts.customers as c"
        " join staging.stg_order_lines as s using (customer_key)"
        " join raw.orders as r on s.order_id = r.order_id"
    )
    scored = {(row["r_score"], row["f_score"]): row["rfm_segment"] for row in rows}
    assert {row["customer_id"]: (row["r_score"], row["f_score"]) for row in rows} == {
        f"r{r}f{f}": (r, f) for r, f in SEGMENTS
    }
    assert scored == SEGMENTS


def test_a_return_after_the_last_purchase_leaves_the_last_order_date(warehouse):
    """Catches the sale filter dropped from last_order_date (or first_order_date): a return
    booked after the customer's last purchase became their last order, so recency was counted
    from the return (1 day, not 5), and a customer who only returned an older purchase got
    order dates although they have no order in the data."""
    warehouse.insert(
        "orders",
        [
            line("S", f"{DAY0 + timedelta(days=1)} 10:00", "X", 1, 10.0, "late-return"),
            line(
                "R",
                f"{DAY0 + timedelta(days=5)} 10:00",
                "X",
                -1,
                10.0,
                "late-return",
                status="returned",
            ),
            line("B", f"{DAY0 + timedelta(days=3)} 10:00", "X", 1, 10.0, "buyer"),
            line(
                "Q",
                f"{DAY0 + timedelta(days=2)} 10:00",
                "X",
                -1,
                10.0,
                "refund-only",
                status="returned",
            ),
        ],
    )
    warehouse.build(*MODELS)
    rows = warehouse.rows(
        "select distinct r.customer_id, c.first_order_date, c.last_order_date, c.recency_days"
        " from marts.customers as c"
        " join staging.stg_order_lines as s using (customer_key)"
        " join raw.orders as r on s.order_id = r.order_id"
    )
    by_id = {row.pop("customer_id"): row for row in rows}
    day = [DAY0 + timedelta(days=n) for n in range(6)]
    # the data ends on day 5, so recency counts from day 6
    assert by_id == {
        "late-return": {"first_order_date": day[1], "last_order_date": day[1], "recency_days": 5},
        "buyer": {"first_order_date": day[3], "last_order_date": day[3], "recency_days": 3},
        "refund-only": {"first_order_date": None, "last_order_date": None, "recency_days": None},
    }
