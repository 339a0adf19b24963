"""Traffic files against the orders and the ground truth, recomputed independently in DuckDB."""

from datetime import timedelta

import duckdb
import polars as pl
import pytest

FUNNEL = (
    "sessions",
    "sessions_with_cart",
    "sessions_with_checkout",
    "sessions_with_purchase",
    "conversion_rate",
    "cart_abandonment_rate",
    "checkout_abandonment_rate",
)

# Sessionize from scratch: 30 minutes of inactivity per user_id, ignoring session_id.
SESSION_FUNNEL_SQL = """
with events as (select * from traffic),
gaps as (
    select *, case when lag(event_at) over w is null
                     or event_at - lag(event_at) over w > interval 30 minute then 1 else 0 end as is_new
    from events window w as (partition by user_id order by event_at, event_id)
),
numbered as (select *, sum(is_new) over (partition by user_id order by event_at, event_id) as n from gaps),
sessions as (
    select user_id, n, min(event_at)::date as day, any_value(device) as device, any_value(source) as source,
           count(distinct session_id) as simulator_sessions,
           bool_or(event_name = 'add_to_cart') as cart, bool_or(event_name = 'begin_checkout') as checkout,
           bool_or(event_name = 'purchase') as bought
    from numbered group by user_id, n
),
final as (
    select {key} as key, count(*) as sessions, count(*) filter (cart) as sessions_with_cart,
           count(*) filter (checkout) as sessions_with_checkout, count(*) filter (bought) as sessions_with_purchase,
           count(*) filter (bought) / count(*) as conversion_rate,
           count(*) filter (cart and not bought) / nullif(count(*) filter (cart), 0) as cart_abandonment_rate,
           count(*) filter (checkout and not bought) / nullif(count(*) filter (checkout), 0)
               as checkout_abandonment_rate,
           max(simulator_sessions) as most_simulator_sessions
    from sessions group by all
)
select * from final
"""


@pytest.fixture(scope="module")
def con(demo_traffic):
    connection = duckdb.connect()
    connection.execute("SET enable_progress_bar = false")
    connection.register("traffic", demo_traffic.to_arrow())
    yield connection
    connection.close()


def _recomputed(con, key: str) -> dict:
    frame = con.sql(SESSION_FUNNEL_SQL.format(key=key)).pl()
    assert (
        frame["most_simulator_sessions"].max() == 1
    )  # 30-min sessionization recovers the simulator's sessions
    return {str(row["key"]): row for row in frame.to_dicts()}


@pytest.mark.parametrize(
    ("key", "truth_key"),
    [("'all'", None), ("device", "by_device"), ("source", "by_source"), ("day", "per_day")],
)
def test_truth_funnel_equals_the_funnel_recomputed_from_the_files(con, demo_truth, key, truth_key):
    recomputed = _recomputed(con, key)
    truth = (
        {"all": demo_truth["traffic"]} if truth_key is None else demo_truth["traffic"][truth_key]
    )
    assert set(recomputed) == set(truth)
    for name, row in truth.items():
        for metric in FUNNEL:
            assert recomputed[name][metric] == pytest.approx(row[metric], abs=1e-12), (name, metric)


def test_rates_are_realistic(demo_truth):
    traffic = demo_truth["traffic"]
    assert 0.03 <= traffic["conversion_rate"] <= 0.06
    assert 0.62 <= traffic["cart_abandonment_rate"] <= 0.78
    assert 0.38 <= traffic["checkout_abandonment_rate"] <= 0.55
    by_source = traffic["by_source"]
    assert by_source["newsletter"]["conversion_rate"] > by_source["facebook"]["conversion_rate"]


def test_each_placed_order_has_exactly_one_purchase(demo_dir, demo_traffic):
    orders = pl.read_csv(
        sorted((demo_dir / "orders").glob("*.csv")),
        schema_overrides={"InvoiceNo": pl.String, "StockCode": pl.String},
    )
    placed = (
        orders.filter(~pl.col("InvoiceNo").str.starts_with("C"))
        .group_by("InvoiceNo")
        .agg((pl.col("Quantity") * pl.col("UnitPrice")).sum().round(2).alias("order_value"))
    )
    purchases = demo_traffic.filter(pl.col("event_name") == "purchase")
    assert purchases["order_id"].is_unique().all()
    assert purchases["order_id"].null_count() == 0
    joined = placed.join(purchases, left_on="InvoiceNo", right_on="order_id", how="full")
    assert joined["InvoiceNo"].null_count() == 0 and joined["event_name"].null_count() == 0
    assert (joined["value"] - joined["order_value"]).abs().max() < 0.01
    assert demo_traffic.filter(pl.col("event_name") != "purchase")["order_id"].null_count() == (
        demo_traffic.height - purchases.height
    )


def test_purchase_is_at_order_time_and_ends_its_session(demo_dir, demo_traffic):
    orders = pl.read_csv(
        sorted((demo_dir / "orders").glob("*.csv")),
        schema_overrides={"InvoiceNo": pl.String},
        try_parse_dates=True,
    )
    ordered_at = orders.group_by("InvoiceNo").agg(pl.col("InvoiceDate").max())
    purchases = demo_traffic.filter(pl.col("event_name") == "purchase").join(
        ordered_at, left_on="order_id", right_on="InvoiceNo"
    )
    assert (purchases["event_at"] == purchases["InvoiceDate"]).all()
    last_events = demo_traffic.group_by("session_id").agg(
        pl.col("event_name").sort_by("event_id").last(),
        (pl.col("event_name") == "purchase").any().alias("bought"),
    )
    assert (last_events.filter("bought")["event_name"] == "purchase").all()


def test_session_timing(demo_traffic):
    ordered = demo_traffic.sort("session_id", "event_id")
    inside = ordered.with_columns(
        (pl.col("event_at") - pl.col("event_at").shift(1)).over("session_id").alias("gap")
    )
    gaps = inside["gap"].drop_nulls()
    assert gaps.min() >= timedelta(0) and gaps.max() <= timedelta(minutes=25)
    sessions = demo_traffic.group_by("session_id").agg(
        pl.col("user_id").first(),
        pl.col("event_at").min().alias("start"),
        pl.col("event_at").max().alias("end"),
    )
    assert (sessions["start"].dt.date() == sessions["end"].dt.date()).all()
    apart = (
        sessions.sort("user_id", "start")
        .with_columns((pl.col("start") - pl.col("end").shift(1)).over("user_id").alias("apart"))[
            "apart"
        ]
        .drop_nulls()
    )
    assert apart.min() > timedelta(minutes=35)
    assert demo_traffic["event_id"].is_unique().all()
    assert (demo_traffic["event_at"].dt.microsecond() == 0).all()
