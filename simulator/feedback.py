"""Deliveries, product reviews and NPS answers (the generic feedback contract).

Every placed order with a positive value is delivered (other "orders" are stock
adjustments and ship nothing):

- dispatched 0/1/2/3 days after ordering (probabilities 0.40, 0.40, 0.15, 0.05);
- in transit ``1 + Poisson(0.8)`` days in the United Kingdom, ``2 + Poisson(1.5)`` in the
  rest of Europe, ``5 + Poisson(3)`` elsewhere; 7 % of parcels meet a carrier disruption
  of 3-10 extra days;
- promised within 4 (UK), 7 (Europe) or 14 (elsewhere) days; late when delivered after
  the promised day (about 10 % of deliveries).

Of the delivered orders of identified customers, 12 % get a product review (1-5 stars,
of one product line of the order) and 18 % an NPS answer (0-10), submitted 1-14 days
after delivery, 07:00-23:00. Late deliveries shift the rating and NPS distributions
down (:data:`RATING_PROBS`, :data:`NPS_PROBS`). Review text follows the rating (fit and
size, fabric and quality, colour, value, packaging: :data:`simulator.feedback_wording.BODIES`); 60 % of reviews of
late deliveries and every NPS comment on one say so in one of :data:`~simulator.feedback_wording.LATE_REMARKS`; some
on-time NPS answers carry a complaint or praise. In the last 28 days of the range the
reviews of three popular products collapse (:mod:`simulator.rating_collapse`), so the
feedback guard has something to find. Feedback submitted after the last day of the range
has not arrived yet and is not exported. Reviewer names and e-mails are fake
(``example.com`` domains) and stable per customer.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from simulator.catalog import is_product_expr
from simulator.feedback_wording import (
    BODIES,
    LATE_REMARK_SHARE,
    LATE_REMARKS,
    NPS_COMPLAINT_SHARE,
    NPS_COMPLAINTS,
    NPS_PRAISE,
    NPS_PRAISE_SHARE,
    SECOND_SENTENCE_SHARE,
    TITLES,
)
from simulator.names import person_names
from simulator.rating_collapse import collapse_ratings

EUROPE = (
    "Austria",
    "Belgium",
    "Channel Islands",
    "Cyprus",
    "Czech Republic",
    "Denmark",
    "EIRE",
    "European Community",
    "Finland",
    "France",
    "Germany",
    "Greece",
    "Iceland",
    "Italy",
    "Lithuania",
    "Malta",
    "Netherlands",
    "Norway",
    "Poland",
    "Portugal",
    "Spain",
    "Sweden",
    "Switzerland",
)
PROMISED_DAYS = {"uk": 4, "europe": 7, "world": 14}
REVIEW_SHARE = 0.12
NPS_SHARE = 0.18
RATING_PROBS = {False: (0.03, 0.04, 0.10, 0.28, 0.55), True: (0.14, 0.14, 0.22, 0.26, 0.24)}
_NPS_ON_TIME = np.array([1, 1, 1, 2, 2, 5, 6, 12, 22, 22, 26], dtype=float)
_NPS_LATE = np.array([6, 5, 7, 9, 10, 13, 12, 12, 12, 7, 7], dtype=float)
NPS_PROBS = {
    False: tuple(_NPS_ON_TIME / _NPS_ON_TIME.sum()),
    True: tuple(_NPS_LATE / _NPS_LATE.sum()),
}
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com")
DAY_US = 86_400_000_000


def simulate_deliveries(orders: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """One delivery per placed order with a positive value.

    Args:
        orders: canonical order lines.
        rng: the simulation's random generator.

    Returns:
        order_id, customer_id, country, ordered_at, shipped_on, promised_on, delivered_on
        (dates), is_late; sorted by order_id.
    """
    table = (
        orders.filter(pl.col("order_status") == "placed")
        .group_by("order_id")
        .agg(
            pl.col("customer_id").drop_nulls().first(),
            pl.col("country").drop_nulls().first(),
            pl.col("ordered_at").max(),
            (pl.col("quantity") * pl.col("unit_price")).sum().alias("value"),
        )
        .filter(pl.col("value") > 0)
        .sort("order_id")
    )
    n = table.height
    region = (
        table.select(
            pl.when(pl.col("country") == "United Kingdom")
            .then(pl.lit("uk"))
            .when(pl.col("country").is_in(EUROPE))
            .then(pl.lit("europe"))
            .otherwise(pl.lit("world"))
        )
        .to_series()
        .to_numpy()
    )
    dispatch = rng.choice(4, n, p=(0.40, 0.40, 0.15, 0.05))
    transit = np.select(
        [region == "uk", region == "europe"],
        [1 + rng.poisson(0.8, n), 2 + rng.poisson(1.5, n)],
        5 + rng.poisson(3.0, n),
    )
    disruption = np.where(rng.random(n) < 0.07, rng.integers(3, 11, n), 0)
    promised = np.vectorize(PROMISED_DAYS.get)(region) if n else np.zeros(0, dtype=np.int64)
    order_day = pl.col("ordered_at").dt.date()
    return table.select(
        "order_id",
        "customer_id",
        "country",
        "ordered_at",
        (order_day + pl.duration(days=pl.Series(dispatch))).alias("shipped_on"),
        (order_day + pl.duration(days=pl.Series(promised))).alias("promised_on"),
        (order_day + pl.duration(days=pl.Series(dispatch + transit + disruption))).alias(
            "delivered_on"
        ),
    ).with_columns((pl.col("delivered_on") > pl.col("promised_on")).alias("is_late"))


def _people(customer_ids: pl.Series, rng: np.random.Generator) -> pl.DataFrame:
    n = customer_ids.len()
    first, last = person_names(rng, n)
    number = rng.integers(1, 100, n)
    domain = np.array(EMAIL_DOMAINS)[rng.integers(0, len(EMAIL_DOMAINS), n)]
    return pl.DataFrame(
        {"customer_id": customer_ids, "first": first, "last": last, "n": number, "d": domain}
    ).select(
        "customer_id",
        pl.format("{} {}", "first", "last").alias("reviewer_name"),
        pl.format(
            "{}.{}{}@{}",
            pl.col("first").str.to_lowercase(),
            pl.col("last").str.to_lowercase(),
            "n",
            "d",
        ).alias("reviewer_email"),
    )


def _submitted_at(delivered_on: pl.Series, rng: np.random.Generator) -> pl.Series:
    n = delivered_on.len()
    offset_us = rng.integers(1, 15, n) * DAY_US + rng.integers(7 * 3600, 23 * 3600, n) * 1_000_000
    return (delivered_on.cast(pl.Datetime("us")).dt.epoch("us") + pl.Series(offset_us)).cast(
        pl.Datetime("us")
    )


def _pick(
    options: dict[int, tuple[str, ...]], keys: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    picks = rng.random(keys.size)
    out = np.empty(keys.size, dtype=object)
    for key, texts in options.items():
        mask = keys == key
        out[mask] = np.array(texts, dtype=object)[(picks[mask] * len(texts)).astype(int)]
    return out


def simulate_feedback(
    orders: pl.DataFrame,
    deliveries: pl.DataFrame,
    last_day,
    rng: np.random.Generator,
    text_rng: np.random.Generator,
    collapse_rng: np.random.Generator,
) -> pl.DataFrame:
    """Reviews and NPS answers in the generic feedback contract columns, plus ``is_late``.

    Args:
        orders: canonical order lines.
        deliveries: from :func:`simulate_deliveries`.
        last_day: last day of the export range (datetime.date); later feedback is not exported.
        rng: the simulation's random generator.
        text_rng: a generator of its own for the wording (a second sentence, which late
            remark, NPS comments): richer wording draws nothing from `rng`, so every other
            simulated table stays as it was.
        collapse_rng: a generator of its own for the products whose ratings collapse at the
            end of the range (:mod:`simulator.rating_collapse`).

    Returns:
        One row per answer sorted by submitted_at, feedback_id; the contract columns and
        ``is_late`` (whether the order it is about was delivered late; not exported).
    """
    known = deliveries.filter(pl.col("customer_id").is_not_null())
    reviewed = known.filter(pl.Series(rng.random(known.height) < REVIEW_SHARE))
    answered = known.filter(pl.Series(rng.random(known.height) < NPS_SHARE))
    # Reviews are drawn before NPS answers: the same generator, the same draws, the same data.
    reviews = _reviews(orders, reviewed, rng, text_rng)
    nps = _nps_answers(answered, rng, text_rng)
    reviews = collapse_ratings(
        reviews.filter(pl.col("submitted_at").dt.date() <= last_day),
        _product_lines(orders),
        last_day,
        _collapsed_text,
        collapse_rng,
    )
    feedback = pl.concat([reviews, nps]).filter(pl.col("submitted_at").dt.date() <= last_day)
    people = _people(feedback["customer_id"].unique().sort(), rng)
    feedback = feedback.join(people, on="customer_id", how="left").sort(
        "submitted_at", "feedback_type", "order_id"
    )
    return feedback.with_columns(
        pl.format("FB{}", pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(7)).alias(
            "feedback_id"
        ),
    ).select(
        "feedback_id",
        "submitted_at",
        "feedback_type",
        "order_id",
        "sku",
        "customer_id",
        "rating",
        "nps_score",
        "title",
        "body",
        "reviewer_name",
        "reviewer_email",
        "is_late",
    )


def _second_sentences(body: np.ndarray, rating: np.ndarray, text_rng: np.random.Generator):
    """A second sentence of the same rating for some reviews (never the first one again)."""
    second = _pick(BODIES, rating, text_rng)
    add = (text_rng.random(body.size) < SECOND_SENTENCE_SHARE) & (second != body)
    return np.where(add, body + " " + second, body)


def _product_lines(orders: pl.DataFrame) -> pl.DataFrame:
    """order_id, sku of every placed line of a product (not a fee or postage)."""
    return orders.filter(
        (pl.col("order_status") == "placed")
        & (pl.col("quantity") > 0)
        & is_product_expr(pl.col("sku"))
    ).select("order_id", "sku")


def _collapsed_text(
    rating: np.ndarray, old_body: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """A title and text of `rating` for a rewritten review, keeping its late-delivery remark."""
    title, body = _pick(TITLES, rating, rng), _pick(BODIES, rating, rng)
    remark = np.array(
        [next((r for r in LATE_REMARKS if old.endswith(r)), "") for old in old_body], dtype=object
    )
    return title, np.where(remark != "", body + " " + remark, body)


def _reviews(
    orders: pl.DataFrame,
    reviewed: pl.DataFrame,
    rng: np.random.Generator,
    text_rng: np.random.Generator,
) -> pl.DataFrame:
    """One review per reviewed delivery, about one of its product lines drawn at random
    (orders of only fees get none); late deliveries rate lower and often say so."""
    product_lines = _product_lines(orders)
    product_lines = product_lines.with_columns(pl.Series("_u", rng.random(product_lines.height)))
    one_line = product_lines.sort("_u").group_by("order_id").agg(pl.col("sku").first())
    reviewed = reviewed.join(one_line, on="order_id", maintain_order="left")
    late = reviewed["is_late"].to_numpy()
    rating = np.where(
        late,
        rng.choice(np.arange(1, 6), late.size, p=RATING_PROBS[True]),
        rng.choice(np.arange(1, 6), late.size, p=RATING_PROBS[False]),
    )
    body = _second_sentences(_pick(BODIES, rating, rng), rating, text_rng)
    remark = np.array(LATE_REMARKS, dtype=object)[
        text_rng.integers(0, len(LATE_REMARKS), late.size)
    ]
    body = np.where(late & (rng.random(late.size) < LATE_REMARK_SHARE), body + " " + remark, body)
    return reviewed.select("order_id", "sku", "customer_id", "is_late").with_columns(
        _submitted_at(reviewed["delivered_on"], rng).alias("submitted_at"),
        pl.lit("review").alias("feedback_type"),
        pl.Series("rating", rating.astype(np.int64)),
        pl.lit(None, pl.Int64).alias("nps_score"),
        pl.Series("title", _pick(TITLES, rating, rng).astype(str)),
        pl.Series("body", body.astype(str)),
    )


def _nps_comments(late: np.ndarray, score: np.ndarray, text_rng: np.random.Generator):
    """A late-delivery remark on every late delivery; on on-time ones, a complaint from
    some detractors and praise from some promoters; None where no comment is left."""
    n = late.size
    remark = np.array(LATE_REMARKS, dtype=object)[text_rng.integers(0, len(LATE_REMARKS), n)]
    complaint = np.array(NPS_COMPLAINTS, dtype=object)[text_rng.integers(0, len(NPS_COMPLAINTS), n)]
    praise = np.array(NPS_PRAISE, dtype=object)[text_rng.integers(0, len(NPS_PRAISE), n)]
    chance = text_rng.random(n)
    return np.select(
        [
            late,
            (score <= 6) & (chance < NPS_COMPLAINT_SHARE),
            (score >= 9) & (chance < NPS_PRAISE_SHARE),
        ],
        [remark, complaint, praise],
        None,
    )


def _nps_answers(
    answered: pl.DataFrame, rng: np.random.Generator, text_rng: np.random.Generator
) -> pl.DataFrame:
    """One NPS answer per answering delivery; late deliveries score lower."""
    late = answered["is_late"].to_numpy()
    score = np.where(
        late,
        rng.choice(11, late.size, p=NPS_PROBS[True]),
        rng.choice(11, late.size, p=NPS_PROBS[False]),
    )
    return answered.select(
        "order_id", pl.lit(None, pl.String).alias("sku"), "customer_id", "is_late"
    ).with_columns(
        _submitted_at(answered["delivered_on"], rng).alias("submitted_at"),
        pl.lit("nps").alias("feedback_type"),
        pl.lit(None, pl.Int64).alias("rating"),
        pl.Series("nps_score", score.astype(np.int64)),
        pl.lit(None, pl.String).alias("title"),
        pl.Series("body", _nps_comments(late, score, text_rng).tolist(), pl.String),
    )
