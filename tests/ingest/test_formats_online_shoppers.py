"""The online-shoppers format: one session row becomes the funnel events it implies."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl

from ingest.formats import FORMATS
from ingest.load import load_days
from tests.real_data import REPO_DATA

EXCERPT = Path(__file__).parent / "fixtures" / "online_shoppers" / "excerpt.csv"
FULL = (
    REPO_DATA / "online_shoppers"
    / "online_shoppers_intention.csv"
)  # fmt: skip
DAY = dt.date(2024, 1, 5)


def _sessions(path: Path) -> pl.DataFrame:
    frame = pl.read_csv(path, infer_schema=False)
    return frame.with_columns(
        pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias("_line"),
        pl.lit("traffic/2024-01-05.csv").alias("_file"),
        pl.lit(DAY).alias("_export_date"),
    )


def test_sessions_become_funnel_events():
    events = FORMATS["online-shoppers"].to_contract("traffic", _sessions(EXCERPT), {})

    # Both sessions are in February; the file was exported 2024-01-05, so February 2023.
    assert events.filter(pl.col("_line").is_in([2, 8])).rows() == [
        (dt.datetime(2023, 2, 1, 0, 0, 0), "page_view", "traffic/2024-01-05.csv:2",
         "traffic/2024-01-05.csv:2", "traffic/2024-01-05.csv:2:page_view", "traffic-type-1",
         "returning", 2, "traffic/2024-01-05.csv", DAY),
        (dt.datetime(2023, 2, 1, 0, 0, 1), "view_item", "traffic/2024-01-05.csv:2",
         "traffic/2024-01-05.csv:2", "traffic/2024-01-05.csv:2:view_item", "traffic-type-1",
         "returning", 2, "traffic/2024-01-05.csv", DAY),
    ] + [
        (dt.datetime(2023, 2, 1, 0, 0, step), name, "traffic/2024-01-05.csv:8",
         "traffic/2024-01-05.csv:8", f"traffic/2024-01-05.csv:8:{name}", "traffic-type-1",
         "returning", 8, "traffic/2024-01-05.csv", DAY)
        for step, name in enumerate(
            ["page_view", "view_item", "add_to_cart", "begin_checkout", "purchase"]
        )
    ]  # fmt: skip
    assert events.height == 9 * 2 + 3 * 3
    assert events["_line"].n_unique() == 9


def test_a_session_is_dated_by_its_month_never_after_the_export_day():
    sessions = (
        _sessions(EXCERPT)
        .head(4)
        .with_columns(
            pl.Series("Month", ["Jan", "June", "dec", "Feb"]),
            pl.Series("VisitorType", ["New_Visitor", "Returning_Visitor", "Other", "new_visitor"]),
        )
    )
    events = FORMATS["online-shoppers"].to_contract("traffic", sessions, {})
    first = events.filter(pl.col("event_name") == "page_view").sort("_line")
    assert first.select(pl.col("event_at").dt.date(), "visitor_type").rows() == [
        (dt.date(2024, 1, 1), "new"),  # on or before the export day 2024-01-05
        (dt.date(2023, 6, 1), "returning"),
        (dt.date(2023, 12, 1), "other"),
        (dt.date(2023, 2, 1), "new"),
    ]
    named_year = FORMATS["online-shoppers"].to_contract("traffic", sessions, {"year": 2017})
    assert named_year["event_at"].dt.year().unique().to_list() == [2017]


def test_an_unknown_month_or_visitor_type_becomes_one_unloadable_event():
    sessions = (
        _sessions(EXCERPT)
        .head(2)
        .with_columns(
            pl.Series("Month", ["Smarch", "Feb"]),
            pl.Series("VisitorType", ["Returning_Visitor", "Bot"]),
        )
    )
    events = FORMATS["online-shoppers"].to_contract("traffic", sessions, {})
    assert events.select("event_name", "_line").rows() == [
        ("Month Smarch is not a month name", 2),
        ("VisitorType Bot is not New_Visitor, Returning_Visitor or Other", 3),
    ]


def test_a_session_whose_revenue_is_unknown_becomes_one_unloadable_event():
    sessions = (
        _sessions(EXCERPT)
        .head(2)
        .with_columns(
            pl.Series("Revenue", ["FALSE", "maybe"]), pl.Series("ProductRelated", ["x", "3"])
        )
    )
    events = FORMATS["online-shoppers"].to_contract("traffic", sessions, {})
    assert events.select("event_name", "_line").rows() == [
        ("ProductRelated x is not a page count", 2),
        ("Revenue maybe is not TRUE or FALSE", 3),
    ]


def test_the_full_file_reads_as_12330_sessions_in_memory():
    events = FORMATS["online-shoppers"].to_contract("traffic", _sessions(FULL), {})
    bought = events.filter(pl.col("event_name") == "purchase")["session_id"].n_unique()
    assert (events["session_id"].n_unique(), bought) == (12330, 1908)
    assert round(100 * bought / 12330, 2) == 15.47


def test_the_full_real_file_through_load_days(exports, con):
    (exports / "traffic").mkdir()
    shutil.copy(FULL, exports / "traffic" / "2024-01-05.csv")

    report = load_days(con, exports, "traffic", [DAY])

    assert report.detected_formats == {"traffic/2024-01-05.csv": "online-shoppers"}
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (12330, 12330, 0)
    sessions, bought = con.execute(
        "select count(distinct session_id), "
        "count(distinct session_id) filter (where event_name = 'purchase') "
        "from raw.traffic_events"
    ).fetchall()[0]
    assert (sessions, bought, round(100 * bought / sessions, 2)) == (12330, 1908, 15.47)
    assert con.execute(
        "select event_name, count(*) from raw.traffic_events group by 1 order by 1"
    ).fetchall() == [
        ("add_to_cart", 1908), ("begin_checkout", 1908), ("page_view", 12330),
        ("purchase", 1908), ("view_item", 12281),
    ]  # fmt: skip


def test_a_month_starting_on_the_export_day_is_this_years_and_a_named_year_starts_on_the_1st():
    """Bug caught: a session dated the year before when its month's first day is the
    export day itself (`<` for `<=`: a file exported 2024-03-01 puts March sessions in
    2023), or a named `year` dating sessions on the 2nd of their month."""
    sessions = _sessions(EXCERPT).head(1).with_columns(pl.Series("Month", ["Mar"]))
    exported_march_1 = sessions.with_columns(pl.lit(dt.date(2024, 3, 1)).alias("_export_date"))
    events = FORMATS["online-shoppers"].to_contract("traffic", exported_march_1, {})
    assert events["event_at"].min() == dt.datetime(2024, 3, 1)
    named_year = FORMATS["online-shoppers"].to_contract("traffic", sessions, {"year": 2017})
    assert named_year["event_at"].min() == dt.datetime(2017, 3, 1)


def test_a_negative_page_count_becomes_one_unloadable_event():
    """Bug caught: ProductRelated of -1 (or any count below zero) read as a page count,
    so the session loads as a funnel that viewed no product instead of being refused."""
    sessions = _sessions(EXCERPT).head(2).with_columns(pl.Series("ProductRelated", ["-1", "0"]))
    events = FORMATS["online-shoppers"].to_contract("traffic", sessions, {})
    assert events.filter(pl.col("_line") == 2)["event_name"].to_list() == [
        "ProductRelated -1 is not a page count"
    ]
