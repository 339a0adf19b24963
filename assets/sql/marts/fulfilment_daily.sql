-- One row per order day, carrier and region, for orders with a shipment. An order's
-- shipment is its last parcel (the order is fulfilled when everything has arrived).
-- Order-to-ship and order-to-delivery times are in days (fractional), as median and p90;
-- an order is on time when it was delivered on or before its promised date; late orders
-- are those delivered after it. Orders still in transit count as shipped, not delivered.
-- Built by day range (incremental/daily_marts.py): a day's rows depend only on the orders
-- placed that day and their shipments (a shipment counts on its order's days).
with lines as (
    select * from staging.stg_order_lines
),

shipments as (
    select * from staging.stg_shipments
),

orders as (
    select
        order_id,
        min(ordered_at) as ordered_at
    from lines
    where order_status = 'placed' and quantity > 0
    group by order_id
    having is_recomputed_day(min(ordered_at))
),

fulfilled as (
    select
        order_id,
        max(shipped_at) as shipped_at,
        case when count(*) = count(delivered_at) then max(delivered_at) end as delivered_at,
        max(promised_date) as promised_date,
        -- Ties broken by the shipment key, so a rerun picks the same carrier and region.
        arg_max(carrier, (shipped_at, shipment_key)) as carrier,
        arg_max(region, (shipped_at, shipment_key)) as region
    from shipments
    group by order_id
),

joined as (
    select
        cast(o.ordered_at as date) as day,
        f.carrier,
        f.region,
        date_diff('second', o.ordered_at, f.shipped_at) / 86400.0 as days_to_ship,
        date_diff('second', o.ordered_at, f.delivered_at) / 86400.0 as days_to_deliver,
        f.delivered_at is not null as is_delivered,
        cast(f.delivered_at as date) <= f.promised_date as is_on_time,
        cast(f.delivered_at as date) > f.promised_date as is_late
    from orders as o
    inner join fulfilled as f on o.order_id = f.order_id
),

final as (
    select
        day,
        carrier,
        region,
        count(*) as orders_shipped,
        count(*) filter (where is_delivered) as orders_delivered,
        count(*) filter (where is_on_time) as orders_on_time,
        count(*) filter (where is_late) as orders_late,
        count(*) filter (where is_on_time)
        / nullif(count(*) filter (where is_on_time is not null), 0)
            as on_time_share,
        median(days_to_ship) as median_days_to_ship,
        quantile_cont(days_to_ship, 0.9) as p90_days_to_ship,
        median(days_to_deliver) as median_days_to_deliver,
        quantile_cont(days_to_deliver, 0.9) as p90_days_to_deliver
    from joined
    group by all
)

select * from final
order by day, carrier, region
