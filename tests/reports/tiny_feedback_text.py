"""The feedback text marts of the report tests: a few hand-written texts over six weeks,
run through the real feedback_text functions so the tables have their real columns.

Known answers: 6 weeks x 6 texts; the seeded "delivery" theme holds every text naming
late delivery, all negative (rated 1), one a week except five in the last week, which is
flagged. Too few rated reviews to train the text model: the page says the signal is weak.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from config.settings_feedback import FeedbackSettings
from feedback_text.tables import FeedbackTables, build_feedback_tables
from warehouse.frames import write_frame

FIRST_WEEK = dt.date(2011, 1, 3)
SETTINGS = FeedbackSettings(
    themes={"delivery": ("late", "delivery")},
    theme_counts=(3,),
    alert_min_baseline_weeks=3,
    alert_min_negative_texts=3,
)
CALM = (
    ("Lovely mug, sturdy and bright colours.", 5),
    ("Plate is thin and chipped easily.", 2),
    ("Bowl colours duller than pictured.", 3),
    ("Lovely bright plate, sturdy.", 5),
    ("Mug handle chipped, thin glaze.", 2),
)
LATE = ("Delivery was late, <b>again</b>; call +44 20 7946 0958.", 1)


def tiny_texts() -> pl.DataFrame:
    rows = []
    for week in range(6):
        monday = FIRST_WEEK + dt.timedelta(weeks=week)
        lates = 5 if week == 5 else 1
        for i, (text, rating) in enumerate(CALM[: 6 - lates] + (LATE,) * lates):
            rows.append(
                {
                    "feedback_id": f"F{week}{i}",
                    "submitted_date": monday + dt.timedelta(days=i % 5),
                    "week": monday,
                    "feedback_type": "review",
                    "order_id": f"O{week}{i}",
                    "sku": ("85123A", "22423", "84879")[i % 3],
                    "category": "Kitchen",
                    "carrier": ("Royal Mail", "DHL")[i % 2],
                    "region": "uk",
                    "delivery": "late" if rating == 1 else "on time",
                    "rating": rating,
                    "nps_score": None,
                    "text": text,
                }
            )
    return pl.DataFrame(rows, schema_overrides={"nps_score": pl.Int64})


def add_feedback_text_tables(con: duckdb.DuckDBPyConnection) -> FeedbackTables:
    """Write the feedback text marts the site reads into the tiny warehouse."""
    tables = build_feedback_tables(tiny_texts(), {}, SETTINGS)
    write_frame(con, "marts", "feedback_text_model", tables.model)
    write_frame(con, "marts", "feedback_theme_catalog", tables.themes)
    write_frame(con, "marts", "feedback_themes", tables.weekly)
    write_frame(con, "marts", "feedback_theme_alerts", tables.alerts)
    write_frame(con, "marts", "feedback_theme_breakdown", tables.breakdown)
    return tables
