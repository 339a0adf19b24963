-- One row per day, device, source, medium, country, landing page and visitor type (new |
-- returning), from marts.sessions: a session counts on the day and in the dimensions of its
-- first event. Days between the first and last traffic day without any session have one
-- row whose dimensions read '(no sessions)' and whose counts are zero. Conversion rate =
-- sessions with a purchase / sessions (Shopify's definition); cart abandonment = sessions
-- with an add_to_cart and no purchase / sessions with an add_to_cart; checkout abandonment
-- = sessions with a begin_checkout and no purchase / sessions with a begin_checkout; all
-- within the session (marts.cart_abandonment_daily has the cross-session window). Session
-- counts and revenue add up across rows; users and users_with_purchase are distinct
-- visitors within the row and do not (a visitor can be in several rows): the user-scoped
-- rate (GA4's user key-event rate) per day is in marts.funnel_daily. Rates are NULL where
-- their denominator is zero. Built by day range (incremental/daily_marts.py): a day's rows
-- depend only on that day's sessions.
with all_sessions as (
    select * from marts.sessions
),

sessions as (
    select * from all_sessions
    where is_recomputed_day(day)
),

spine as (
    select day
    from day_spine((select min(day) from all_sessions), (select max(day) from all_sessions))
    where is_recomputed_day(day)
),

daily as (
    select
        day,
        device,
        source,
        medium,
        country,
        landing_page,
        visitor_type,
        count(*) as sessions,
        count(*) filter (where has_cart) as sessions_with_cart,
        count(*) filter (where has_checkout) as sessions_with_checkout,
        count(*) filter (where has_purchase) as sessions_with_purchase,
        count(*) filter (where has_cart and not has_purchase) as carts_abandoned,
        count(*) filter (where has_checkout and not has_purchase) as checkouts_abandoned,
        cast(sum(money(purchase_value)) as double) as revenue,
        count(distinct user_id) as users,
        count(distinct user_id) filter (where has_purchase) as users_with_purchase
    from sessions
    group by all
),

idle_days as (
    select
        spine.day,
        '(no sessions)' as device,
        '(no sessions)' as source,
        '(no sessions)' as medium,
        '(no sessions)' as country,
        '(no sessions)' as landing_page,
        '(no sessions)' as visitor_type,
        0 as sessions,
        0 as sessions_with_cart,
        0 as sessions_with_checkout,
        0 as sessions_with_purchase,
        0 as carts_abandoned,
        0 as checkouts_abandoned,
        0 as revenue,
        0 as users,
        0 as users_with_purchase
    from spine
    anti join daily on spine.day = daily.day
),

combined as (
    select * from daily
    union all by name
    select * from idle_days
),

final as (
    select
        day,
        device,
        source,
        medium,
        country,
        landing_page,
        visitor_type,
        sessions,
        sessions_with_cart,
        sessions_with_checkout,
        sessions_with_purchase,
        carts_abandoned,
        checkouts_abandoned,
        revenue,
        users,
        users_with_purchase,
        sessions_with_purchase / nullif(sessions, 0) as conversion_rate,
        carts_abandoned / nullif(sessions_with_cart, 0) as cart_abandonment_rate,
        checkouts_abandoned / nullif(sessions_with_checkout, 0) as checkout_abandonment_rate,
        users_with_purchase / nullif(users, 0) as user_conversion_rate
    from combined
)

select * from final
order by day, device, source, medium, country, landing_page, visitor_type
