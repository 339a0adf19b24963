# %% [markdown]
# # Cohort deep-dive
#
# Customers grouped by the month of their first order (their *cohort*): how many come back
# in each later month, how much revenue a cohort brings per customer over time, and which
# RFM segments each cohort ends up in. Reads `marts.cohort_retention`, `marts.customers` and
# `marts.customer_rates_monthly` from the **analyst copy** of the warehouse
# (`<data dir>/analyst.duckdb`, republished after each successful run), never from
# `warehouse.duckdb`, so the pipeline can write meanwhile. `make notebooks` sets
# `ORDERPULSE_ANALYST_DB` to the copy of its `DATA_DIR`; the default is the demo's
# `data/analyst.duckdb`. Restart the kernel to read a newer run's copy.
#
# Definitions (docs/metrics.md): a customer is *active* in a month when they placed an order
# in it; `retention_rate` = active customers / cohort customers; month 0 is the first month,
# so its retention is 1 by definition. Recent cohorts have fewer months behind them: their
# curves stop early (right-censoring), they are not worse.

# %%
import os
from pathlib import Path

import duckdb
import plotly.express as px
import polars as pl

analyst_copy = Path(os.environ.get("ORDERPULSE_ANALYST_DB", "../data/analyst.duckdb"))
con = duckdb.connect(str(analyst_copy), read_only=True)
cohorts = con.sql("""
    select cohort_month, months_since_acquisition, cohort_customers, active_customers,
           retention_rate, revenue, revenue_per_customer
    from marts.cohort_retention order by cohort_month, months_since_acquisition
""").pl()
print(
    f"{cohorts['cohort_month'].n_unique()} cohorts, "
    f"{cohorts.filter(pl.col('months_since_acquisition') == 0)['cohort_customers'].sum():,} customers"
)

# %% [markdown]
# ## Retention matrix: share of each cohort active N months after its first order

# %%
matrix = (
    cohorts.with_columns(pl.col("cohort_month").dt.strftime("%Y-%m"))
    .pivot(
        on="months_since_acquisition",
        index="cohort_month",
        values="retention_rate",
        sort_columns=True,
    )
    .sort("cohort_month")
)
matrix

# %%
heat = matrix.drop("cohort_month")
px.imshow(
    heat.to_numpy(),
    x=[f"M{c}" for c in heat.columns],
    y=matrix["cohort_month"].to_list(),
    color_continuous_scale="Blues",
    zmin=0,
    zmax=1,
    aspect="auto",
    labels={
        "x": "Months since first order",
        "y": "Cohort (first order month)",
        "color": "Retention",
    },
    title="Retention by cohort and month since first order",
)

# %% [markdown]
# ## Average retention curve, weighted by cohort size
#
# Each month since acquisition averages only the cohorts old enough to have reached it,
# weighted by their size, so a small early cohort does not dominate.

# %%
curve = (
    cohorts.group_by("months_since_acquisition")
    .agg(
        cohorts=pl.len(),
        customers=pl.col("cohort_customers").sum(),
        retention=(pl.col("active_customers").sum() / pl.col("cohort_customers").sum()),
    )
    .sort("months_since_acquisition")
)
px.line(
    curve.to_pandas(),
    x="months_since_acquisition",
    y="retention",
    markers=True,
    hover_data=["cohorts", "customers"],
    labels={"months_since_acquisition": "Months since first order", "retention": "Share active"},
    title="Weighted average retention curve",
)

# %% [markdown]
# ## Cumulative revenue per customer by cohort
#
# The revenue a cohort's customers brought, summed up to each month since their first order,
# per customer of the cohort: how fast a cohort pays back its acquisition.

# %%
value = cohorts.sort("cohort_month", "months_since_acquisition").with_columns(
    cumulative_revenue_per_customer=(
        pl.col("revenue").cum_sum().over("cohort_month") / pl.col("cohort_customers")
    ),
    cohort=pl.col("cohort_month").dt.strftime("%Y-%m"),
)
px.line(
    value.to_pandas(),
    x="months_since_acquisition",
    y="cumulative_revenue_per_customer",
    color="cohort",
    markers=True,
    labels={
        "months_since_acquisition": "Months since first order",
        "cumulative_revenue_per_customer": "Cumulative revenue per customer (currency)",
    },
    title="Cumulative revenue per customer by cohort",
)

# %% [markdown]
# ## Month-1 retention and cohort size: do larger cohorts come back less?

# %%
month_one = cohorts.filter(pl.col("months_since_acquisition") == 1).select(
    pl.col("cohort_month").dt.strftime("%Y-%m").alias("cohort"),
    "cohort_customers",
    "retention_rate",
)
month_one

# %%
if month_one.height >= 3:
    print(
        f"correlation of cohort size and month-1 retention: "
        f"{month_one.select(pl.corr('cohort_customers', 'retention_rate')).item():.2f} "
        f"over {month_one.height} cohorts"
    )
else:
    print(f"only {month_one.height} cohort(s) with a month 1 yet: too few to compare")

# %% [markdown]
# ## Where each cohort ends up: RFM segments by first-order month

# %%
segments = con.sql("""
    select strftime(first_order_month, '%Y-%m') as cohort, rfm_segment,
           count(*) as customers, round(sum(revenue), 2) as revenue
    from marts.customers group by all order by cohort, customers desc
""").pl()
shares = segments.with_columns(share=pl.col("customers") / pl.col("customers").sum().over("cohort"))
px.bar(
    shares.to_pandas(),
    x="cohort",
    y="share",
    color="rfm_segment",
    labels={
        "cohort": "Cohort (first order month)",
        "share": "Share of the cohort's customers",
        "rfm_segment": "RFM segment",
    },
    title="RFM segment mix by cohort",
)

# %% [markdown]
# ## Returning-customer and repeat-purchase rates per month

# %%
con.sql("""
    select month, customers, new_customers, returning_customers,
           round(returning_customer_rate, 3) as returning_customer_rate,
           round(repeat_purchase_rate, 3) as repeat_purchase_rate
    from marts.customer_rates_monthly order by month
""").pl()

# %%
con.close()
