-- One row per product SKU per calendar day, zero-filled from the SKU's first sale to the
-- last order day. Units are net of cancellations and returns on the day they were booked.
-- A trading day is a weekday the shop trades on (setting `trading_weekdays`) on which it
-- took at least one order: a day with no order in the whole shop is a closed day, not a
-- day of zero demand. On-hand comes from the inventory snapshot of that day (summed over
-- locations); a day with zero on hand is a stockout, so its zero is censored demand.
with lines as (
    select * from staging.stg_order_lines where is_product
),

open_days as (
    select distinct order_date as day
    from staging.stg_order_lines
    where order_status = 'placed'
),

last_day as (
    select max(order_date) as day from staging.stg_order_lines
),

first_sale as (
    select sku, min(order_date) as day
    from lines
    where quantity > 0
    group by sku
),

spine as (
    select f.sku, cast(d.day as date) as day
    from first_sale as f
    cross join last_day as l
    cross join lateral generate_series(f.day, l.day, interval 1 day) as d(day)
),

sales as (
    select
        sku,
        order_date as day,
        cast(sum(quantity) as bigint) as units,
        count(distinct order_id) filter (where quantity > 0 and order_status = 'placed') as orders,
        sum(line_amount) as revenue
    from lines
    group by all
),

stock as (
    select sku, snapshot_date as day, cast(sum(on_hand) as bigint) as on_hand
    from staging.stg_inventory
    group by all
),

final as (
    select
        s.sku,
        s.day,
        list_contains(getvariable('trading_weekdays'), isodow(s.day)) and o.day is not null as is_trading_day,
        coalesce(sa.units, 0) as units,
        coalesce(sa.orders, 0) as orders,
        coalesce(sa.revenue, 0) as revenue,
        st.on_hand,
        coalesce(st.on_hand = 0, false) as is_stockout
    from spine as s
    left join open_days as o on o.day = s.day
    left join sales as sa on sa.sku = s.sku and sa.day = s.day
    left join stock as st on st.sku = s.sku and st.day = s.day
)

select * from final order by sku, day
