"""The reviews format (Clothing Reviews and a plain layout) and the nps format."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from ingest.load import load_days
from tests.real_data import shared_data

FIXTURES = Path(__file__).parent / "fixtures"
# Not copyable into the repository: read from beside it (tests/real_data.py).
CLOTHING_REVIEWS = "clothing_reviews/womens_clothing_reviews.csv"
DAY = dt.date(2024, 1, 5)


def _drop(exports: Path, source: Path) -> None:
    (exports / "feedback").mkdir()
    shutil.copy(source, exports / "feedback" / "2024-01-05.csv")


def test_clothing_reviews_real_file(exports, con):
    _drop(exports, shared_data(CLOTHING_REVIEWS))

    report = load_days(con, exports, "feedback", [DAY])

    assert report.detected_formats == {"feedback/2024-01-05.csv": "reviews"}
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (23486, 23486, 0)
    assert con.execute(
        "select count(distinct feedback_id), min(submitted_at), max(submitted_at), "
        "count(*) filter (where feedback_type = 'review'), sum(rating), "
        "count(*) filter (where title is null), count(*) filter (where body is null) "
        "from raw.feedback"
    ).fetchall() == [
        (23486, dt.datetime(2024, 1, 5), dt.datetime(2024, 1, 5), 23486, 98548, 3810, 845)
    ]
    assert con.execute(
        "select feedback_id, sku, rating, title, left(body, 30) from raw.feedback "
        "where feedback_id in ('0', '2') order by feedback_id"
    ).fetchall() == [
        ("0", "767", 4, None, "Absolutely wonderful - silky a"),
        ("2", "1077", 3, "Some major design flaws", "I had such high hopes for this"),
    ]


def test_plain_review_layout_uses_its_dates_and_quarantines_a_bad_rating(exports, con):
    _drop(exports, FIXTURES / "reviews" / "plain_reviews.csv")

    report = load_days(con, exports, "feedback", [DAY])

    assert report.detected_formats == {"feedback/2024-01-05.csv": "reviews"}
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (3, 2, 1)
    assert con.execute(
        "select feedback_id, submitted_at, feedback_type, order_id, sku, rating, title, body "
        "from raw.feedback order by _line"
    ).fetchall() == [
        ("rv-1", dt.datetime(2024, 1, 4, 18), "review", "#1001", "FERN-1", 5, "Lovely",
         "Great print, sturdy paper"),
        ("rv-2", dt.datetime(2024, 1, 5, 8, 15), "review", None, "OAK-2", 2, None,
         "Frame arrived cracked"),
    ]  # fmt: skip
    quarantined = con.execute("select line, column_name, raw_value from quality.quarantine")
    assert quarantined.fetchall() == [(4, "rating", "five")]


def test_nps_answers(exports, con):
    _drop(exports, FIXTURES / "nps" / "nps_answers.csv")

    report = load_days(con, exports, "feedback", [DAY])

    assert report.detected_formats == {"feedback/2024-01-05.csv": "nps"}
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (5, 3, 2)
    assert con.execute(
        "select feedback_id, submitted_at, feedback_type, order_id, nps_score, rating, body, "
        "reviewer_email from raw.feedback order by _line"
    ).fetchall() == [
        ("R-1", dt.datetime(2024, 1, 5, 9, 30), "nps", "#1001", 10, None,
         "Fast delivery, lovely print", "ada@example.com"),
        ("R-2", dt.datetime(2024, 1, 5, 11, 2, 13), "nps", "#1002", 3, None,
         "Frame arrived broken", "bob@example.com"),
        ("R-3", dt.datetime(2024, 1, 5, 12), "nps", None, 7, None, None, None),
    ]  # fmt: skip
    assert con.execute(
        "select line, column_name from quality.quarantine order by line"
    ).fetchall() == [(5, "submitted_at"), (6, "nps_score")]
