"""What to change for a shop of slow movers forecast in daily buckets.

Under ``forecasting.bucket: day`` (the default) a SKU that sells in fewer than half its
weeks is a series of mostly zeros: forecasting zero beats every model day by day and week
by week, the SKU has no reliable forecast, and its reorder advice falls back to min/max on
its own history. A spare-parts catalog is mostly such SKUs, and with the default
``min_active_days`` (90) many of them are not forecast at all. When more than half the
demand mart's SKUs sell in fewer than half their weeks, the forecast step says so among
the run's warnings, with the settings that forecast them in months and keep years of
history (docs/your-shop.md). A shop like the demo, a third of whose SKUs are that slow,
gets no hint.

Weeks are ISO weeks from a SKU's first day in the mart to the mart's last day; a SKU's
weeks are the same ones ``forecasting.bucket: auto`` judges it on
(forecasting/auto_bucket.py), so the hint names the SKUs that setting would forecast
monthly (give or take the incomplete first and last week, which auto leaves out).
"""

from __future__ import annotations

import duckdb

from config.settings import ForecastingSettings
from forecasting.auto_bucket import MIN_SELLING_SHARE
from forecasting.buckets import DAY

# The settings a slow-mover shop needs at least (docs/your-shop.md).
SLOW_HISTORY_DAYS = 1095
SLOW_MIN_ACTIVE_DAYS = 365

# Weeks spanned from each SKU's first to its last day in the mart, against the weeks with a
# sale: counting the weeks of the selling days alone reads a fraction of the zero-filled
# mart's rows (a third of the CPU of grouping every row by week at 40,000 SKUs).
WEEKS_SQL = """
with spans as (
    select
        sku,
        date_diff('week', date_trunc('week', min(day)), date_trunc('week', max(day))) + 1
            as all_weeks
    from marts.sku_demand_daily
    group by sku
),

selling as (
    select
        sku,
        count(distinct date_trunc('week', day)) as selling_weeks
    from marts.sku_demand_daily
    where demand_units > 0
    group by sku
)

select
    count(*) filter (
        where coalesce(selling.selling_weeks, 0) < $share * spans.all_weeks
    ) as slow,
    count(*) as skus
from spans
left join selling on spans.sku = selling.sku
"""

IDLE_SQL = """
select count(*) from (
    select sku
    from marts.sku_demand_daily
    group by sku
    having
        coalesce(max(day) filter (where demand_units > 0), date '1900-01-01')
        <= (select max(day) from marts.sku_demand_daily) - $days::integer
)
"""


def slow_mover_hint(
    con: duckdb.DuckDBPyConnection, cfg: ForecastingSettings, unreliable: int, backtested: int
) -> str | None:
    """The warning for a daily-bucket shop whose SKUs mostly sell in fewer than half their
    weeks, naming the settings to change; None for any other shop.

    Args:
        con: a warehouse connection with marts.sku_demand_daily.
        cfg: the forecasting settings of the run.
        unreliable, backtested: SKUs without a reliable forecast, and SKUs backtested.
    """
    if cfg.bucket != DAY:
        return None
    slow, skus = con.execute(WEEKS_SQL, {"share": MIN_SELLING_SHARE}).fetchall()[0]
    if skus == 0 or slow <= skus / 2:
        return None
    idle = con.execute(IDLE_SQL, {"days": cfg.min_active_days}).fetchall()[0][0]
    changes = ["bucket: auto"]
    if cfg.history_days < SLOW_HISTORY_DAYS:
        changes.append(f"history_days: {SLOW_HISTORY_DAYS}")
    if cfg.min_active_days < SLOW_MIN_ACTIVE_DAYS:
        changes.append(f"min_active_days: {SLOW_MIN_ACTIVE_DAYS}")
    not_forecast = (
        f"; {idle:,} without a sale in the last {cfg.min_active_days} days are not forecast"
        if idle
        else ""
    )
    return (
        f"{slow:,} of {skus:,} SKUs sell in fewer than half their weeks, which daily buckets "
        f"forecast no better than zero ({unreliable:,} of {backtested:,} backtested SKUs have "
        f"no reliable forecast{not_forecast}): a shop of slow movers forecasts them monthly "
        f"with forecasting: {{{', '.join(changes)}}} in its settings file "
        "(docs/your-shop.md, 'A shop of slow movers')"
    )
