# %% [markdown]
# # Shop KPIs from the warehouse
#
# Reads the **analyst copy** of the warehouse (`<data dir>/analyst.duckdb`, republished after
# each successful run), never `warehouse.duckdb` itself: the pipeline can write while this
# notebook runs. `make notebooks` sets `ORDERPULSE_ANALYST_DB` to the copy of its `DATA_DIR`;
# the default is the demo's `data/analyst.duckdb`. The connection keeps reading the copy it
# opened: restart the kernel to read a newer run.

# %%
import os
from pathlib import Path

import duckdb
import plotly.express as px

analyst_copy = Path(os.environ.get("ORDERPULSE_ANALYST_DB", "../data/analyst.duckdb"))
con = duckdb.connect(str(analyst_copy), read_only=True)

# %% [markdown]
# ## Conversion and abandonment, whole period (sessions weighted)

# %%
funnel = con.sql("""
    select sum(sessions) as sessions,
           sum(sessions_with_purchase) / sum(sessions) as conversion_rate,
           sum(carts_abandoned) / nullif(sum(sessions_with_cart), 0) as cart_abandonment_rate,
           sum(checkouts_abandoned) / nullif(sum(sessions_with_checkout), 0) as checkout_abandonment_rate
    from marts.conversion_daily
""").pl()
funnel

# %% [markdown]
# ## Net sales per week

# %%
weekly = con.sql("""
    select date_trunc('week', day) as week, sum(net_sales) as net_sales, sum(orders) as orders
    from marts.orders_daily group by 1 order by 1
""").pl()
px.bar(weekly.to_pandas(), x="week", y="net_sales", title="Net sales per week")

# %% [markdown]
# ## Customers by RFM segment

# %%
segments = con.sql("""
    select rfm_segment, count(*) as customers, round(sum(revenue), 2) as revenue,
           round(avg(clv), 2) as mean_clv
    from marts.customers group by 1 order by revenue desc
""").pl()
segments

# %% [markdown]
# ## The ten most valuable orders to place now

# %%
con.sql("""
    select sku, description, order_qty, order_by, round(order_value, 2) as order_value, reason
    from inventory.reorder_recommendations order by order_value desc limit 10
""").pl()
