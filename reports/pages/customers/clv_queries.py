"""Customer-lifetime-value reads of the customers page: each customer's CLV
(marts.customers), the model runs (marts.clv_model) and their holdout validation
(marts.clv_tracking, marts.clv_conditional).
"""

from __future__ import annotations

import duckdb
import polars as pl

from warehouse.frames import query


def clv_kpis(con: duckdb.DuckDBPyConnection) -> dict[str, float | int | str | None]:
    """Headline CLV numbers: customers valued, total and mean CLV, the model kept.

    Returns:
        valued (customers with a CLV), total_clv, mean_clv, mean_p_alive and model
        (the purchase model that scored them; None when none could be fitted).
    """
    frame = query(
        con,
        "select count(clv)::bigint as valued, sum(clv) as total_clv, avg(clv) as mean_clv,"
        " avg(p_alive) as mean_p_alive, any_value(clv_model) as model from marts.customers",
    )
    return frame.row(0, named=True)


def buyer_facts(con: duckdb.DuckDBPyConnection) -> dict[str, float | int | None]:
    """What holds without any model, over the customers with a placed order.

    Returns:
        buyers, one_time_buyers (exactly one order), one_time_share, revenue_per_customer
        (mean net revenue) and revenue_per_order (net revenue / orders).
    """
    frame = query(
        con,
        "select count(*)::bigint as buyers,"
        " count(*) filter (where orders = 1)::bigint as one_time_buyers,"
        " avg((orders = 1)::integer) as one_time_share,"
        " avg(revenue) as revenue_per_customer,"
        " sum(revenue) / nullif(sum(orders), 0) as revenue_per_order"
        " from marts.customers where orders > 0",
    )
    return frame.row(0, named=True)


def clv_by_decile(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Customers, total and mean CLV per CLV decile (10 = most valuable), with each
    decile's share of the total; binned here so the page stays small for any shop size."""
    return query(
        con,
        "select clv_decile, count(*)::bigint as customers, sum(clv) as total_clv, avg(clv) as mean_clv,"
        " min(clv) as min_clv, max(clv) as max_clv, sum(clv) / sum(sum(clv)) over () as share"
        " from marts.customers where clv_decile is not null group by 1 order by 1",
    )


def clv_tracking(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """marts.clv_tracking: cumulative repeat purchases, actual vs each model, by period."""
    return query(con, "select * from marts.clv_tracking order by model, period")


def clv_conditional(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """marts.clv_conditional: mean holdout purchases by calibration frequency, per model."""
    return query(con, "select * from marts.clv_conditional order by model, calibration_frequency")


# The latest rows of each fit window: a run that kept the last validation appends only the
# full refit, so the calibration rows are those of the last run that validated.
LATEST_MODELS_SQL = """
select * from marts.clv_model as m
where m.run_at = (
    select max(latest.run_at) from marts.clv_model as latest
    where latest.fit_window = m.fit_window
)
order by m.fit_window, m.model
"""


def clv_models(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """marts.clv_model's rows of the last validation and of the latest refit, validated
    fits first."""
    return query(con, LATEST_MODELS_SQL)
