"""Feedback guard: an injected rating drop or return-rate rise is flagged with its evidence;
noise within a SKU's usual range is not."""

import datetime as dt

import duckdb
import numpy as np
import polars as pl
import pytest

from config.settings import InventorySettings
from forecasting.feedback_guard import feedback_guard as judge
from forecasting.feedback_guard import return_stats

AS_OF = dt.date(2024, 7, 1)
USUAL = [5, 4, 5, 4, 5, 3] * 10  # 60 reviews, mean 4.33
SETTINGS = InventorySettings(
    feedback_window_days=28, feedback_min_reviews=5, feedback_min_orders=10
)
NO_RETURNS = pl.DataFrame(
    schema={
        "sku": pl.String,
        "day": pl.Date,
        "orders": pl.Int64,
        "units_sold": pl.Int64,
        "units_returned": pl.Int64,
    }
)
NO_REVIEWS = pl.DataFrame(schema={"sku": pl.String, "submitted_date": pl.Date, "rating": pl.Int64})
# Two recent days against the days before them, flagged at two standard errors.
TWO_DAYS = InventorySettings(
    feedback_window_days=2, feedback_min_orders=2, feedback_standard_errors=2.0
)


def feedback_guard(reviews, returns, as_of, settings):
    """The guard of per-day `returns`, their statistics taken by DuckDB as the asset does."""
    with duckdb.connect() as con:
        con.register("returns_by_day", returns)
        stats = return_stats(con, "select * from returns_by_day", as_of, settings)
    return judge(reviews, stats, as_of, settings)


def _returns_by_day(sold: list[tuple[int, int, int]]) -> pl.DataFrame:
    """SKU S's returns: one order a day of (days before AS_OF, units sold, units returned)."""
    return pl.DataFrame(
        [("S", AS_OF - dt.timedelta(days=n), 1, units, back) for n, units, back in sold],
        schema=NO_RETURNS.schema,
        orient="row",
    )


def _reviews(sku: str, before: list[int], recent: list[int]) -> list[dict]:
    """``before`` one a day ending 30 days before AS_OF; ``recent`` one a day up to AS_OF."""
    return [
        {"sku": sku, "submitted_date": AS_OF - dt.timedelta(days=30 + n), "rating": r}
        for n, r in enumerate(before)
    ] + [
        {"sku": sku, "submitted_date": AS_OF - dt.timedelta(days=n), "rating": r}
        for n, r in enumerate(recent)
    ]


def test_an_injected_rating_drop_is_flagged_with_its_numbers():
    """Bug caught: a product whose reviews collapse is reordered silently."""
    reviews = pl.DataFrame(
        _reviews("DROP", USUAL, [2, 1, 2, 3, 2, 1, 2, 2])
        # the same SKU's usual spread: its lower end, but within noise (mean 4.0)
        + _reviews("NOISE", USUAL, [4, 3, 5, 4, 4, 3, 5, 4])
        # too few recent reviews to judge, however bad
        + _reviews("FEW", USUAL, [1, 1, 1])
    )
    guard = feedback_guard(reviews, NO_RETURNS, AS_OF, SETTINGS)
    rows = {row["sku"]: row for row in guard.iter_rows(named=True)}
    assert set(rows) == {"DROP", "NOISE"}  # FEW is not judged
    drop = rows["DROP"]
    assert drop["review_before_reordering"] is True and drop["rating_dropped"] is True
    assert (drop["recent_reviews"], drop["recent_mean_rating"]) == (8, 1.875)
    assert drop["usual_mean_rating"] == pytest.approx(13 / 3)
    # se = sqrt(var recent / 8 + var usual / 60): var recent = 0.410714..., var usual = 0.56497...
    se = np.sqrt(np.var([2, 1, 2, 3, 2, 1, 2, 2], ddof=1) / 8 + np.var(USUAL, ddof=1) / 60)
    assert drop["rating_floor"] == pytest.approx(13 / 3 - 2 * se)
    assert drop["feedback_evidence"] == (
        "Review before reordering: mean rating 1.88 from 8 reviews in the 28 days to "
        f"2024-07-01, usually 4.33 (60 reviews before; flagged below {drop['rating_floor']:.2f})."
    )
    assert (drop["window_start"], drop["as_of"]) == (dt.date(2024, 6, 4), AS_OF)
    noise = rows["NOISE"]
    assert noise["recent_mean_rating"] == 4.0 and noise["rating_floor"] < 4.0
    assert noise["review_before_reordering"] is False and noise["feedback_evidence"] is None
    assert noise["returns_rose"] is None  # no sales: return rate not judged


def test_same_distribution_rarely_flags_and_a_real_drop_almost_always_does():
    """Bug caught: a guard so tight that ordinary review noise blocks reorders (or so loose
    that a one-and-a-half-star drop passes)."""
    rng = np.random.default_rng(7)
    probs = (0.03, 0.04, 0.10, 0.28, 0.55)  # the simulator's on-time rating mix
    rows = []
    for n in range(200):
        before = list(rng.choice(np.arange(1, 6), 80, p=probs))
        recent = list(rng.choice(np.arange(1, 6), 10, p=probs))
        dropped = [max(1, r - 2) if i % 4 else r for i, r in enumerate(recent)]  # ~1.5 stars
        rows += _reviews(f"SAME{n:03d}", before, recent) + _reviews(f"DROP{n:03d}", before, dropped)
    guard = feedback_guard(pl.DataFrame(rows), NO_RETURNS, AS_OF, SETTINGS)
    flagged = guard.group_by(pl.col("sku").str.head(4)).agg(
        pl.col("review_before_reordering").mean()
    )
    share = dict(flagged.iter_rows())
    assert share["SAME"] <= 0.05
    assert share["DROP"] >= 0.95


def test_a_return_rate_above_its_usual_range_is_flagged():
    """Bug caught: a SKU whose customers started sending it back kept being reordered."""
    days = [AS_OF - dt.timedelta(days=n) for n in range(120)]
    # both SKUs: one order of 10 units a day; 2 % returned before the window. RISE returns
    # 20 % in the last 28 days, STEADY 3 % (one more unit now and then: noise)
    rows = []
    for day in days:
        recent = day > AS_OF - dt.timedelta(days=28)
        usual_return = 1 if day.toordinal() % 5 == 0 else 0  # 1 unit in 50 sold
        rows.append(("RISE", day, 1, 10, 2 if recent else usual_return))
        rows.append(("STEADY", day, 1, 10, usual_return + (day.toordinal() % 7 == 0) * recent))
        # one cancelled wholesale order of 48 units, 5 days ago: one event, not a trend
        rows.append(("LUMP", day, 1, 10, 48 if day == AS_OF - dt.timedelta(days=5) else 0))
    returns = pl.DataFrame(rows, schema=NO_RETURNS.schema, orient="row")
    guard = feedback_guard(NO_REVIEWS, returns, AS_OF, SETTINGS)
    rows = {row["sku"]: row for row in guard.iter_rows(named=True)}
    rise = rows["RISE"]
    assert (rise["recent_orders"], rise["recent_return_rate"]) == (28, 0.2)
    assert rise["usual_return_rate"] == pytest.approx(0.02, abs=0.002)
    assert rise["returns_rose"] is True and rise["rating_dropped"] is None
    assert rise["feedback_evidence"].startswith(
        "Review before reordering: return rate 20.0 % over 28 orders in the 28 days to 2024-07-01"
    )
    assert rows["STEADY"]["returns_rose"] is False
    lump = rows["LUMP"]
    assert lump["recent_return_rate"] == pytest.approx(48 / 280)
    assert lump["usual_return_rate"] == 0.0 and lump["returns_rose"] is False
    assert rows["STEADY"]["review_before_reordering"] is False


def test_the_return_rate_ceiling_by_hand():
    """Bug caught: the ratio estimator's variance summing units sold unsquared (or other
    terms off), so the ceiling sat on the usual rate and any noise flagged a SKU.
    Usual days (10 sold each) return 0, 1, 2: rate 0.1, deviations -1, 0, 1, variance
    2 / 30^2 x 3 / 2 = 1/300; recent days return 1 and 1 of 10: rate 0.1, variance 0.
    Ceiling 0.1 + 2 x sqrt(1/300) = 0.2155."""
    sold = [
        ("S", AS_OF - dt.timedelta(days=n), 1, 10, back) for n, back in enumerate([1, 1, 2, 1, 0])
    ]
    returns = pl.DataFrame(sold, schema=NO_RETURNS.schema, orient="row")
    row = feedback_guard(NO_REVIEWS, returns, AS_OF, TWO_DAYS).row(0, named=True)
    assert (row["usual_return_rate"], row["recent_return_rate"]) == pytest.approx((0.1, 0.1))
    assert row["return_rate_ceiling"] == pytest.approx(0.1 + 2 * (1 / 300) ** 0.5)
    assert row["returns_rose"] is False


def test_the_edges_of_the_window_the_minimums_and_an_unchanged_sku():
    """Bugs caught: a review or a return on the window's first day also counted in the
    usual range before it; a SKU with exactly the minimum of reviews or orders (in the
    window or before it) left unjudged; and a SKU whose rating or return rate did not move
    at all flagged (a mean equal to its floor, a rate equal to its ceiling, is no change).
    The window is the 2 days to AS_OF; FLAT is rated 4 on each of 4 days, HALF sells 10 and
    gets 5 back on each: no spread, so the floor is 4 and the ceiling 0.5 exactly."""
    days = [AS_OF - dt.timedelta(days=n) for n in range(4)]  # AS_OF - 1 starts the window
    reviews = pl.DataFrame(
        [{"sku": "FLAT", "submitted_date": day, "rating": 4} for day in days],
        schema={"sku": pl.String, "submitted_date": pl.Date, "rating": pl.Int64},
    )
    returns = pl.DataFrame(
        [("HALF", day, 1, 10, 5) for day in days], schema=NO_RETURNS.schema, orient="row"
    )
    settings = InventorySettings(
        feedback_window_days=2,
        feedback_min_reviews=2,
        feedback_min_orders=2,
        feedback_standard_errors=2.0,
    )
    guard = feedback_guard(reviews, returns, AS_OF, settings)
    rows = {row["sku"]: row for row in guard.iter_rows(named=True)}
    flat, half = rows["FLAT"], rows["HALF"]
    assert (flat["recent_reviews"], flat["usual_reviews"]) == (2, 2)
    assert (flat["recent_mean_rating"], flat["rating_floor"]) == (4.0, 4.0)
    assert flat["rating_dropped"] is False and flat["returns_rose"] is None
    assert (half["recent_orders"], half["usual_orders"]) == (2, 2)
    assert (half["recent_return_rate"], half["return_rate_ceiling"]) == (0.5, 0.5)
    assert half["returns_rose"] is False and half["rating_dropped"] is None
    assert guard["review_before_reordering"].to_list() == [False, False]


def test_the_return_evidence_by_hand():
    """Bug caught: a return-rate figure of the evidence scaled or rounded wrong (the recent
    rate, the usual one or the ceiling): the numbers are chosen so that 1 % off or one
    decimal more or fewer changes each of them. Recent: 5 of 20 and 5 of 21 returned
    (24.39 %, variance 3.5e-5); usual: 2, 1 and 2 of 10 (16.67 %, variance 1/900); ceiling
    1/6 + 2 x sqrt(1/900 + 3.5e-5) = 23.44 %."""
    sold = [(0, 20, 5), (1, 21, 5), (2, 10, 2), (3, 10, 1), (4, 10, 2)]
    row = feedback_guard(NO_REVIEWS, _returns_by_day(sold), AS_OF, TWO_DAYS).row(0, named=True)
    assert row["return_rate_ceiling"] == pytest.approx(0.23438667281473496)
    assert row["feedback_evidence"] == (
        "Review before reordering: return rate 24.4 % over 2 orders in the 2 days to "
        "2024-07-01, usually 16.7 % (3 orders before; flagged above 23.4 %)."
    )


def test_the_rating_evidence_by_hand():
    """Bug caught: the rating floor of the evidence rounded to another number of decimals
    than the means (2.667 or 2.7 for 2.67). Usual 3, 3, 4 (mean 3.33, variance 1/3),
    recent 1 and 1: floor 10/3 - 2 x sqrt(1/9) = 2.67."""
    ratings = [(0, 1), (1, 1), (2, 3), (3, 3), (4, 4)]
    reviews = pl.DataFrame(
        [
            {"sku": "S", "submitted_date": AS_OF - dt.timedelta(days=n), "rating": r}
            for n, r in ratings
        ],
        schema={"sku": pl.String, "submitted_date": pl.Date, "rating": pl.Int64},
    )
    settings = InventorySettings(
        feedback_window_days=2, feedback_min_reviews=2, feedback_standard_errors=2.0
    )
    row = feedback_guard(reviews, NO_RETURNS, AS_OF, settings).row(0, named=True)
    assert row["rating_floor"] == pytest.approx(8 / 3)
    assert row["feedback_evidence"] == (
        "Review before reordering: mean rating 1.0 from 2 reviews in the 2 days to "
        "2024-07-01, usually 3.33 (3 reviews before; flagged below 2.67)."
    )


def test_a_rate_without_spread_has_its_ceiling_on_the_rate():
    """Bug caught: the sum of squared deviations of a period without spread kept when float
    rounding makes it a hair below 0 (1 of 7 back on each usual day: 2 - 2 x 2/14 x 14 +
    (2/14)^2 x 98 is -2e-16 in floats): its square root is then NaN, and so is the ceiling,
    so a return rate that rose from 1/7 to 1/2 was not flagged."""
    sold = [(0, 10, 5), (1, 10, 5), (2, 7, 1), (3, 7, 1)]
    row = feedback_guard(NO_REVIEWS, _returns_by_day(sold), AS_OF, TWO_DAYS).row(0, named=True)
    assert row["return_rate_ceiling"] == pytest.approx(1 / 7)
    assert row["returns_rose"] is True
