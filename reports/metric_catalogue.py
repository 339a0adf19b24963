"""The metric catalogue: one definition per dashboard metric, used by every page.

Each metric is a ratio (or a plain sum) of sums of additive daily columns of one mart, so
the same definition gives the metric over any date range and segment: in SQL on the
warehouse (`metric_sql`) and in the browser over the daily sums a page embeds
(`reports/site/static/metric_filters.js` reads `browser_spec`). The definition never
averages per-row rates, which would weight a quiet day like a busy one.

docs/metrics.md carries this catalogue as a generated section
(`scripts/metrics_doc.py`; tests/test_docs.py fails when it is stale).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reports import derived_marts


@dataclass(frozen=True)
class Mart:
    """A daily mart the catalogue reads: its grain and the segments it is split by."""

    table: str
    grain: str
    # Segment name -> the mart's column (a metric of this mart can be filtered by it).
    segments: dict[str, str] = field(default_factory=dict)
    # The date column a range applies to: "day" for daily marts, "month" for monthly ones.
    time_column: str = "day"
    # For a mart derived when a page is published rather than stored: the SQL of its rows
    # over stored tables (`table` is then its name; see reports/derived_marts.py).
    source: str = ""

    @property
    def relation(self) -> str:
        """What a query reads the mart's rows from: the stored table, or the derived rows."""
        return f"({self.source}) as {self.table}" if self.source else self.table


TRAFFIC_SEGMENTS = {
    "device": "device",
    "source": "source",
    "country": "country",
    "visitor_type": "visitor_type",
}
MARTS: dict[str, Mart] = {
    mart.table: mart
    for mart in (
        Mart(
            "marts.orders_by_customer_type_daily",
            "one row per day, country and customer type (new on the day of the customer's first"
            " order, returning later, guest without a customer key) of the order",
            {"country": "country", "customer_type": "customer_type"},
        ),
        Mart(
            "marts.orders_daily",
            "one row per day and country of the order",
            {"country": "country"},
        ),
        Mart(
            "marts.conversion_daily",
            "one row per day and session dimensions (device, source, medium, country, landing "
            "page, visitor type) of the session's first event",
            TRAFFIC_SEGMENTS,
        ),
        Mart(
            "marts.funnel_daily",
            "one row per day, scope (session | user) and funnel type (closed | open)",
        ),
        Mart("marts.cart_abandonment_daily", "one row per day of the cart"),
        Mart("marts.feedback_daily", "one row per day the feedback was submitted"),
        Mart(
            "marts.customer_rates_monthly",
            "one row per calendar month with orders (identified customers only)",
            time_column="month",
        ),
        Mart(
            "marts.sku_demand_daily",
            "one row per SKU per day, zero-filled from the SKU's first sale (the forecasts' "
            "history)",
        ),
        Mart(
            "customer_acquisitions",
            "one row per customer with a placed order, dated by the first order (derived from "
            "marts.customers)",
            {"country": "country"},
            source=derived_marts.CUSTOMER_ACQUISITIONS,
        ),
        Mart(
            "export_loads",
            "one row per export file loaded, dated by its export day (derived from "
            "quality.load_log)",
            source=derived_marts.EXPORT_LOADS,
        ),
        Mart(
            "check_evaluations",
            "one row per check evaluation, dated by the newest export day loaded when it ran "
            "(derived from quality.check_results and quality.load_log)",
            source=derived_marts.CHECK_EVALUATIONS,
        ),
    )
}
SEGMENT_LABELS = {
    "device": "Device",
    "source": "Source",
    "country": "Country",
    "visitor_type": "Visitor type",
    "customer_type": "Customer type",
}


@dataclass(frozen=True)
class Metric:
    """A metric: `scale * sum(numerator) / sum(denominator)` over the mart's rows in the
    range (and segment); a plain `scale * sum(numerator)` when there is no denominator.

    numerator and denominator map an additive column of the mart to its coefficient, so
    `{"gross_sales": 1, "discounts": -1}` is the sum of gross sales minus discounts.
    """

    name: str
    label: str
    formula: str  # in words, for the reader of docs/metrics.md
    table: str
    numerator: dict[str, float]
    denominator: dict[str, float] | None = None
    excludes: str = ""
    # Rows of the mart the metric reads, as SQL over the mart's columns ("" for all).
    rows: str = ""
    scale: float = 1.0
    kind: str = "count"  # count | money | rate (a share 0..1) | score | stars (1-5, 2 decimals)

    @property
    def mart(self) -> Mart:
        return MARTS[self.table]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.numerator, *(self.denominator or {})]))


def _terms(terms: dict[str, float]) -> str:
    parts = []
    for column, coefficient in terms.items():
        sign = "-" if coefficient < 0 else "+"
        size = abs(coefficient)
        term = f"sum({column})" if size == 1 else f"{size:g} * sum({column})"
        parts.append(f"{sign} {term}")
    text = " ".join(parts)
    return text.removeprefix("+ ")


def metric_sql(metric: Metric) -> str:
    """The metric as one SQL aggregate over rows of its mart (NULL on a zero denominator)."""
    numerator = _terms(metric.numerator)
    scaled = numerator if metric.scale == 1 else f"{metric.scale:g} * ({numerator})"
    if metric.denominator is None:
        return f"({scaled})"
    return f"({scaled}) / nullif({_terms(metric.denominator)}, 0)"


def _metrics() -> tuple[Metric, ...]:
    orders, traffic = "marts.orders_by_customer_type_daily", "marts.conversion_daily"
    funnel, carts = "marts.funnel_daily", "marts.cart_abandonment_daily"
    feedback = "marts.feedback_daily"
    return (
        Metric("sessions", "Sessions", "web sessions", traffic, {"sessions": 1},
               excludes="days without sessions count zero"),
        Metric("conversion_rate", "Conversion rate",
               "sessions with a purchase / sessions (Shopify)", traffic,
               {"sessions_with_purchase": 1}, {"sessions": 1}, kind="rate"),
        Metric("cart_abandonment_rate", "Cart abandonment",
               "sessions with an add_to_cart and no purchase / sessions with an add_to_cart",
               traffic, {"carts_abandoned": 1}, {"sessions_with_cart": 1}, kind="rate",
               excludes="a purchase in a later session does not recover the cart here"),
        Metric("checkout_abandonment_rate", "Checkout abandonment",
               "sessions with a begin_checkout and no purchase / sessions with a begin_checkout",
               traffic, {"checkouts_abandoned": 1}, {"sessions_with_checkout": 1}, kind="rate"),
        Metric("user_conversion_rate", "User conversion rate",
               "visitors who bought on a day / visitors of that day, summed over days (GA4's "
               "user key-event rate)", funnel, {"purchased": 1}, {"visitors": 1},
               rows="scope = 'user' and funnel_type = 'open'", kind="rate",
               excludes="a visitor counts once per day they came (visitor-days)"),
        Metric("orders", "Orders", "placed orders with at least one positive line", orders,
               {"orders": 1}, excludes="orders marked cancelled or returned"),
        Metric("units", "Units", "units on positive lines of placed orders", orders,
               {"units": 1}, excludes="returned and cancelled units"),
        Metric("net_sales", "Net sales", "gross sales - discounts - cancellations (returned, "
               "cancelled and adjusted amounts)", orders, {"net_sales": 1}, kind="money"),
        Metric("aov", "Average order value", "(gross sales - discounts) / orders (Shopify)",
               orders, {"gross_sales": 1, "discounts": -1}, {"orders": 1}, kind="money",
               excludes="cancellations and returns, which arrive after the order"),
        Metric("nps", "NPS", "100 x (promoters - detractors) / NPS answers, -100 to 100",
               feedback, {"promoters": 1, "detractors": -1},
               {"nps_answers": 1}, scale=100.0, kind="score",
               excludes="survey answers without a score"),
        Metric("review_rate", "Review rate",
               "orders that got at least one rated review / orders, both on the order's day",
               feedback, {"reviewed_orders": 1}, {"orders": 1}, kind="rate",
               excludes="reviews without an order id; a second review of an order"),
        Metric("reviews", "Reviews", "product reviews with a star rating, on the day submitted",
               feedback, {"reviews": 1}, excludes="reviews without a rating"),
        Metric("mean_rating", "Mean rating",
               "(1 x one-star + 2 x two-star + ... + 5 x five-star reviews) / reviews",
               feedback, {f"ratings_{stars}": stars for stars in range(1, 6)}, {"reviews": 1},
               kind="stars", excludes="reviews without a rating"),
        Metric("csat", "CSAT", "reviews rated 4 or 5 stars / reviews (top-two-box)", feedback,
               {"ratings_4": 1, "ratings_5": 1}, {"reviews": 1}, kind="rate"),
        Metric("nps_answers", "NPS answers", "NPS survey answers with a score 0-10", feedback,
               {"nps_answers": 1}, excludes="survey answers without a score"),
        Metric("cart_abandonment_rate_window", "Carts never bought",
               "carts abandoned in the session and not bought by the visitor within "
               "`cart_recovery_window_hours` / carts", carts,
               {"carts_abandoned_in_window": 1}, {"carts": 1}, kind="rate"),
        Metric("checkout_abandonment_rate_window", "Checkouts never completed",
               "checkouts abandoned in the session and not completed within "
               "`cart_recovery_window_hours` / checkouts", carts,
               {"checkouts_abandoned_in_window": 1}, {"checkouts": 1}, kind="rate"),
        Metric("cart_abandonment_rate_session", "Carts abandoned",
               "carts (dated by their first add_to_cart) whose session has no purchase / carts",
               carts, {"carts_abandoned_in_session": 1}, {"carts": 1}, kind="rate"),
        Metric("checkout_abandonment_rate_session", "Checkouts abandoned",
               "checkouts whose session has no purchase / checkouts", carts,
               {"checkouts_abandoned_in_session": 1}, {"checkouts": 1}, kind="rate"),
        Metric("returning_customer_rate", "Returning-customer rate",
               "customers of the month with two or more placed orders up to the month's end / "
               "customers of the month (Shopify); a monthly metric",
               "marts.customer_rates_monthly", {"customers_with_repeat_order": 1},
               {"customers": 1}, kind="rate", excludes="guest orders (no customer key)"),
        Metric("abandoned_cart_value", "Left in carts",
               "add_to_cart value of carts abandoned in the session", carts,
               {"abandoned_cart_value": 1}, kind="money"),
        *_range_page_metrics(),
    )  # fmt: skip


def _range_page_metrics() -> tuple[Metric, ...]:
    """The customers, demand and data-quality pages' metrics that follow a date range."""
    acquired, demand = "customer_acquisitions", "marts.sku_demand_daily"
    loads, checks = "export_loads", "check_evaluations"
    return (
        Metric("new_customers", "New customers",
               "customers whose first placed order is on the day, summed over days",
               "marts.orders_daily", {"new_customers": 1},
               excludes="guest orders (no customer key); customers known only from a refund"),
        Metric("new_customer_repeat_rate", "Repeat rate of new customers",
               "customers first buying in the range with two or more placed orders by the "
               "data's end / customers first buying in the range", acquired,
               {"repeat_customers_acquired": 1}, {"customers_acquired": 1}, kind="rate",
               excludes="guest orders; a recent range has had less time to repeat"),
        Metric("revenue_per_new_customer", "Revenue per new customer",
               "net revenue to the data's end of the customers first buying in the range / "
               "those customers", acquired, {"revenue_of_acquired": 1},
               {"customers_acquired": 1}, kind="money",
               excludes="guest orders; refunds are netted, as in marts.customers"),
        Metric("demand_units", "Demand units",
               "units sold - units returned or cancelled, booked on the sale's day, all SKUs "
               "(the history the forecasts learn from)", demand, {"demand_units": 1},
               excludes="non-trading days carry no demand"),
        Metric("rows_read", "Rows read", "rows read from the export files of the days",
               loads, {"rows_read": 1}),
        Metric("rows_quarantined", "Rows quarantined",
               "rows of the days' export files kept in quality.quarantine instead of loaded",
               loads, {"rows_quarantined": 1}),
        Metric("quarantine_rate", "Quarantined share", "rows quarantined / rows read", loads,
               {"rows_quarantined": 1}, {"rows_read": 1}, kind="rate"),
        Metric("check_evaluations", "Check evaluations",
               "check evaluations dated by the newest export day loaded when they ran", checks,
               {"check_evaluations": 1},
               excludes="results older than `retention.check_results_days` (trimmed)"),
        Metric("check_evaluations_failed", "Evaluations failed",
               "evaluations of blocking (ERROR) checks that failed", checks,
               {"checks_failed": 1}),
        Metric("check_evaluations_warned", "Evaluations warned",
               "evaluations of WARN checks that failed (they block nothing)", checks,
               {"checks_warned": 1}),
    )  # fmt: skip


CATALOGUE: dict[str, Metric] = {metric.name: metric for metric in _metrics()}


def browser_spec(metric: Metric, dataset: str) -> dict:
    """What the page's filter script needs to evaluate `metric` over the embedded sums of
    `dataset` (see `reports.site.daily_data`)."""
    return {
        "dataset": dataset,
        "numerator": metric.numerator,
        "denominator": metric.denominator,
        "scale": metric.scale,
        "kind": metric.kind,
    }
