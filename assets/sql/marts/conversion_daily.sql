-- One row per day, device and source. A session belongs to the day, device and source of
-- its first event. Conversion rate = sessions with a purchase / sessions (Shopify's
-- definition); cart abandonment = sessions with an add_to_cart and no purchase / sessions
-- with an add_to_cart; checkout abandonment = sessions with a begin_checkout and no purchase
-- / sessions with a begin_checkout. Rates are NULL where their denominator is zero.
with events as (
    select * from staging.stg_traffic_events
),

sessions as (
    select
        session_key,
        cast(min(event_at) as date) as day,
        arg_min(device, event_at) filter (where device is not null) as device,
        arg_min(source, event_at) filter (where source is not null) as source,
        bool_or(event_name = 'add_to_cart') as has_cart,
        bool_or(event_name = 'begin_checkout') as has_checkout,
        bool_or(event_name = 'purchase') as has_purchase,
        coalesce(sum(value) filter (where event_name = 'purchase'), 0) as revenue
    from events
    group by session_key
),

daily as (
    select
        day,
        coalesce(device, '(not set)') as device,
        coalesce(source, '(direct)') as source,
        count(*) as sessions,
        count(*) filter (where has_cart) as sessions_with_cart,
        count(*) filter (where has_checkout) as sessions_with_checkout,
        count(*) filter (where has_purchase) as sessions_with_purchase,
        count(*) filter (where has_cart and not has_purchase) as carts_abandoned,
        count(*) filter (where has_checkout and not has_purchase) as checkouts_abandoned,
        sum(revenue) as revenue
    from sessions
    group by all
),

final as (
    select
        day,
        device,
        source,
        sessions,
        sessions_with_cart,
        sessions_with_checkout,
        sessions_with_purchase,
        carts_abandoned,
        checkouts_abandoned,
        revenue,
        sessions_with_purchase / sessions as conversion_rate,
        carts_abandoned / nullif(sessions_with_cart, 0) as cart_abandonment_rate,
        checkouts_abandoned / nullif(sessions_with_checkout, 0) as checkout_abandonment_rate
    from daily
)

select * from final order by day, device, source
