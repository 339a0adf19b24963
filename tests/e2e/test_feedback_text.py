"""Review and survey text of a small simulated store, from the export files to the marts
and the pages: the simulator's late deliveries draw delivery complaints, and a rise of
them injected into one week is flagged.

Only the feeds the text marts read are loaded (feedback, shipments, catalog) and their
staging models built, so the test takes seconds; the whole graph runs in the demo.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import duckdb
import polars as pl
import pytest

from assets.feedback_text import write_feedback_text_tables
from assets.warehouse import build_table, prepare
from config.settings import Settings
from config.settings_feedback import FeedbackSettings
from ingest.load import ensure_tables, load_days
from reports.pages.feedback.text_themes import text_section
from reports.pages.overview.page import feedback_flag
from simulator import simulate_around, synthetic_orders, write_exports
from simulator.feedback_wording import LATE_REMARKS

pytestmark = pytest.mark.e2e

START, DAYS = dt.date(2024, 1, 1), 84  # twelve weeks from a Monday
INJECTED_WEEK = dt.date(2024, 3, 11)  # the tenth week: nine weeks of baseline before it
INJECTED = 30
SEEDS = {"delivery": ("late", "delivery", "parcel", "courier", "shipping", "promised")}


def _injected_complaints(feedback: pl.DataFrame) -> pl.DataFrame:
    """NPS detractors complaining about late parcels, spread over one week, about no order
    (so the late vs on-time comparison is the simulator's own)."""
    rows = [
        {
            "feedback_id": f"INJ{i:04d}",
            "submitted_at": dt.datetime.combine(INJECTED_WEEK, dt.time(9))
            + dt.timedelta(hours=5 * i),
            "feedback_type": "nps",
            "nps_score": 1,
            "body": LATE_REMARKS[i % len(LATE_REMARKS)],
            "customer_id": feedback["customer_id"][i],
            "is_late": True,
        }
        for i in range(INJECTED)
    ]
    return pl.concat([feedback, pl.DataFrame(rows)], how="diagonal_relaxed").sort("submitted_at")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("feedback_text")
    orders = synthetic_orders(scale=0.4, seed=5, start=START, days=DAYS)
    store = simulate_around(orders, seed=5)
    store = dataclasses.replace(store, feedback=_injected_complaints(store.feedback))
    write_exports(root / "exports", store, orders, "generic", "synthetic")
    con = duckdb.connect(str(root / "warehouse.duckdb"))
    ensure_tables(con)
    settings = Settings(feedback=FeedbackSettings(themes=SEEDS))
    for kind in ("feedback", "shipments", "catalog"):
        load_days(con, root / "exports", kind)
    prepare(con, settings, salt="test-salt")
    for table in ("stg_feedback", "stg_shipments", "stg_catalog"):
        build_table(con, "staging", table)
    tables, _ = write_feedback_text_tables(con, settings.feedback)
    yield con, tables
    con.close()


def test_every_text_is_scored_and_the_model_is_measured(warehouse):
    con, tables = warehouse
    model = tables.model.row(0, named=True)
    assert model["held_out_auc"] >= 0.9 and model["signal_strong_enough"]
    texts = con.sql(
        "select count(*), count(negative_probability) from marts.feedback_text"
    ).fetchall()[0]
    assert texts[0] == texts[1] > 200
    # NPS comments have no rating, yet the model scores them; the injected ones are negative
    injected = tables.texts.filter(pl.col("feedback_id").str.starts_with("INJ"))
    assert injected.height == INJECTED and injected["is_negative"].mean() >= 0.8


def test_the_delivery_theme_is_more_negative_after_late_deliveries(warehouse):
    """Catches a breakdown that loses the order's delivery, or themes that mix delivery
    complaints into the rest (the simulator's late deliveries draw them)."""
    con, _ = warehouse
    shares = dict(
        con.sql(
            "select value, negative_share from marts.feedback_theme_breakdown"
            " where dimension = 'delivery' and theme_id = 'delivery'"
        ).fetchall()
    )
    # no row: no delivery complaint after an on-time delivery at all
    assert shares["late"] > 0.1 > 2 * shares.get("on time", 0.0), shares


def test_the_injected_week_is_flagged_for_the_delivery_theme(warehouse):
    """Catches an alert that misses a week whose delivery complaints jumped."""
    con, tables = warehouse
    flagged = con.sql("select week, theme_id from marts.feedback_theme_alerts").fetchall()
    assert (INJECTED_WEEK, "delivery") in flagged, tables.weekly.filter(
        pl.col("theme_id") == "delivery"
    ).select("week", "negative_texts", "all_texts", "negative_share", "usual_max_negative_share")
    assert all(theme != "delivery" or week == INJECTED_WEEK for week, theme in flagged)
    html = text_section(con)
    assert 'data-text-signal="strong"' in html and "Rising complaints" in html
    assert "2024-03-11" in html


def test_the_theme_ids_survive_a_rerun(warehouse):
    """Catches themes renumbered run to run, which would make their trends meaningless."""
    con, tables = warehouse
    again, _ = write_feedback_text_tables(con, FeedbackSettings(themes=SEEDS), forced=True)
    assert (
        again.themes.select("theme_id", "top_terms").rows()
        == tables.themes.select("theme_id", "top_terms").rows()
    )


def test_the_overview_flags_the_rise_of_the_newest_weeks(warehouse):
    """Catches an overview that stays silent while complaints rise."""
    con, _ = warehouse
    # the injected week is the second newest of the run: among the newest four
    newest = con.sql("select max(week) from marts.feedback_themes").fetchall()[0][0]
    assert newest == INJECTED_WEEK + dt.timedelta(weeks=1)
    flag = feedback_flag(con)
    assert "<strong>delivery</strong>" in flag and "2024-03-11" in flag and "feedback.html" in flag
