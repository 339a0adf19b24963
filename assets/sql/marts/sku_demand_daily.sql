-- One row per product SKU per calendar day, zero-filled from the SKU's first sale to the
-- last order day. Non-product codes (postage, fees, manual adjustments) are not SKUs here.
-- `units` is net of cancellations and returns on the day they were booked. `demand_units`,
-- the forecasting input, is the units sold minus the sales a cancellation of the same
-- customer, SKU and quantity reversed within `reversal_window_hours` (an order mistake is
-- not demand; a later return was). Stock adjustments (lines that are not a cancellation
-- but have a negative quantity or a zero price) are in neither, only in `units_adjusted`.
-- A trading day is a weekday the shop trades on (setting `trading_weekdays`) on which it
-- took at least one order: a day with no order in the whole shop is a closed day, not a
-- day of zero demand. The last order day is partial when its last order came earlier in
-- the day than on every earlier same weekday (the export was cut mid-day). On-hand comes
-- from the inventory snapshot of that day (summed over locations); a day with zero on
-- hand is a stockout, so its zero is censored demand.
-- Built by day range (incremental/daily_marts.py): the days from a first recomputed day on
-- need the lines from that day (a reversal is booked on the sale's day and the cancellation
-- comes after the sale), plus each SKU's first sale and the shop's open days, taken from all
-- lines. A changed line reaches back `reversal_window_hours` (the sales it may reverse), so
-- the range is widened back by that window; the last day is always recomputed.
-- A full build of many lines runs once per range of SKUs (incremental/sku_ranges.py): the
-- per-SKU parts read the range's SKUs (is_rebuilt_sku); open days and the last day are the
-- shop's, from all lines (macros shop_open_days and shop_last_order_day, computed once);
-- the macros read `shop_lines` where sqlfluff cannot see it (ST03).
with shop_lines as (  -- noqa: ST03
    select * from staging.stg_order_lines
),

all_lines as (
    select
        *,
        order_status = 'placed' and quantity > 0 and unit_price > 0 as is_sale,
        order_status in ('cancelled', 'returned') and quantity < 0 as is_cancellation
    from staging.stg_order_lines
    where is_product and is_rebuilt_sku(sku)
),

lines as (
    select * from all_lines
    where is_recomputed_day(order_date)
),

reversals as (
    -- Each cancellation reverses the latest matching sale before it, so one sale line is
    -- reversed at most once per cancellation and a cancellation never removes two sales.
    select
        s.order_id,
        s.line_number,
        s.sku,
        s.order_date as day,
        s.quantity as units
    from lines as s
    inner join lines as c
        on
            c.is_cancellation
            and s.sku = c.sku
            and s.customer_key = c.customer_key
            and c.quantity = -s.quantity
            and s.ordered_at <= c.ordered_at
            and c.ordered_at <= s.ordered_at + to_hours(getvariable('reversal_window_hours'))
    where s.is_sale
    qualify row_number() over (
        partition by c.order_id, c.line_number
        order by s.ordered_at desc, s.order_id desc, s.line_number desc
    ) = 1
),

open_days as (
    select * from shop_open_days(shop_lines)
),

last_order_day as (
    select * from shop_last_order_day(shop_lines)
),

last_day as (
    select
        l.day,
        cast(o.last_order_at as time) < (
            select min(cast(e.last_order_at as time))
            from open_days as e
            where isodow(e.day) = isodow(l.day) and e.day < l.day
        ) as is_partial
    from last_order_day as l
    left join open_days as o on l.day = o.day
),

first_sale as (
    select
        sku,
        min(order_date) as day
    from all_lines
    where is_sale
    group by sku
),

spine as (
    select
        f.sku,
        s.day
    from first_sale as f
    cross join last_day as l
    cross join lateral day_spine(greatest(f.day, first_recomputed_day()), l.day) as s
),

sales as (
    select
        sku,
        order_date as day,
        cast(coalesce(sum(quantity) filter (where is_sale), 0) as bigint) as units_sold,
        cast(coalesce(-sum(quantity) filter (where is_cancellation), 0) as bigint)
            as units_cancelled,
        cast(
            coalesce(sum(quantity) filter (where not is_sale and not is_cancellation), 0) as bigint
        ) as units_adjusted,
        count(distinct order_id) filter (where is_sale) as orders,
        cast(
            sum(money(line_amount)) filter (where is_sale or is_cancellation) as double
        ) as revenue
    from lines
    group by all
),

reversed as (
    select
        sku,
        day,
        cast(sum(units) as bigint) as units_reversed
    from (select distinct * from reversals) as distinct_reversals
    group by all
),

stock as (
    select
        sku,
        snapshot_date as day,
        cast(sum(on_hand) as bigint) as on_hand
    from staging.stg_inventory
    where is_recomputed_day(snapshot_date) and is_rebuilt_sku(sku)
    group by all
),

final as (
    select
        s.sku,
        s.day,
        list_contains(getvariable('trading_weekdays'), isodow(s.day)) and o.day is not null
            as is_trading_day,
        coalesce(s.day = l.day and l.is_partial, false) as is_partial_day,
        coalesce(sa.units_sold, 0) - coalesce(sa.units_cancelled, 0) as units,
        coalesce(sa.units_sold, 0) - coalesce(r.units_reversed, 0) as demand_units,
        coalesce(sa.units_sold, 0) as units_sold,
        coalesce(sa.units_cancelled, 0) as units_cancelled,
        coalesce(r.units_reversed, 0) as units_reversed,
        coalesce(sa.units_adjusted, 0) as units_adjusted,
        coalesce(sa.orders, 0) as orders,
        coalesce(sa.revenue, 0) as revenue,
        st.on_hand,
        coalesce(st.on_hand = 0, false) as is_stockout
    from spine as s
    cross join last_day as l
    left join open_days as o on s.day = o.day
    left join sales as sa on s.sku = sa.sku and s.day = sa.day
    left join reversed as r on s.sku = r.sku and s.day = r.day
    left join stock as st on s.sku = st.sku and s.day = st.day
)

select * from final
order by sku, day
