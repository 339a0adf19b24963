-- One row per day of the cart, on a calendar spine from the first to the last traffic day
-- (days without carts hold zeros). A cart is a session with an add_to_cart, dated by its
-- first add_to_cart; a checkout is a session with a begin_checkout, dated by its first one.
-- Abandoned in the session: the session has no purchase (Shopify's abandoned checkouts).
-- Abandoned in the window: abandoned in the session and the same visitor made no purchase
-- within `cart_recovery_window_hours` after the cart (or checkout), in any later session;
-- so the window rate is never above the session rate. Carts of the last window before the
-- newest event have not had their full window yet and may still be recovered.
-- abandoned_cart_value: add_to_cart values of carts abandoned in the session.
-- Built by day range (incremental/daily_marts.py): the days from a first recomputed day on
-- need only the sessions ending on or after it and the purchases from it, since a cart's
-- recovering purchase comes after the cart. A purchase changes carts up to
-- `cart_recovery_window_hours` before it, so the range is widened back by that window.
with all_sessions as (
    select * from marts.sessions
),

sessions as (
    select * from all_sessions
    where is_recomputed_day(ended_at)
),

purchases as (
    select
        user_id,
        event_at as purchased_at
    from staging.stg_traffic_events
    where event_name = 'purchase' and is_recomputed_day(event_date)
),

spine as (
    select day
    from
        day_spine(
            (select min(day) from all_sessions),
            (select max(cast(ended_at as date)) from all_sessions)
        )
    where is_recomputed_day(day)
),

cart_recovery as (
    select to_hours(cast(getvariable('cart_recovery_window_hours') as bigint)) as window_length
),

-- A purchase by the same visitor within the window after the cart (checkout) recovers it.
carts as (
    select
        cast(sessions.carted_at as date) as day,
        sessions.cart_value,
        not sessions.has_purchase as abandoned_in_session,
        not sessions.has_purchase and not exists (
            select 1
            from purchases
            where
                purchases.user_id = sessions.user_id
                and purchases.purchased_at >= sessions.carted_at
                and purchases.purchased_at <= sessions.carted_at + cart_recovery.window_length
        ) as abandoned_in_window
    from sessions
    cross join cart_recovery
    where sessions.has_cart
),

checkouts as (
    select
        cast(sessions.checked_out_at as date) as day,
        not sessions.has_purchase as abandoned_in_session,
        not sessions.has_purchase and not exists (
            select 1
            from purchases
            where
                purchases.user_id = sessions.user_id
                and purchases.purchased_at >= sessions.checked_out_at
                and purchases.purchased_at <= sessions.checked_out_at + cart_recovery.window_length
        ) as abandoned_in_window
    from sessions
    cross join cart_recovery
    where sessions.has_checkout
),

carts_daily as (
    select
        day,
        count(*) as carts,
        count(*) filter (where abandoned_in_session) as carts_abandoned_in_session,
        count(*) filter (where abandoned_in_window) as carts_abandoned_in_window,
        cast(
            coalesce(sum(money(cart_value)) filter (where abandoned_in_session), 0) as double
        ) as abandoned_cart_value
    from carts
    group by day
),

checkouts_daily as (
    select
        day,
        count(*) as checkouts,
        count(*) filter (where abandoned_in_session) as checkouts_abandoned_in_session,
        count(*) filter (where abandoned_in_window) as checkouts_abandoned_in_window
    from checkouts
    group by day
),

final as (
    select
        spine.day,
        coalesce(carts_daily.carts, 0) as carts,
        coalesce(carts_daily.carts_abandoned_in_session, 0) as carts_abandoned_in_session,
        coalesce(carts_daily.carts_abandoned_in_window, 0) as carts_abandoned_in_window,
        carts_daily.carts_abandoned_in_session / nullif(carts_daily.carts, 0)
            as cart_abandonment_rate,
        carts_daily.carts_abandoned_in_window / nullif(carts_daily.carts, 0)
            as cart_abandonment_rate_window,
        coalesce(carts_daily.abandoned_cart_value, 0) as abandoned_cart_value,
        coalesce(checkouts_daily.checkouts, 0) as checkouts,
        coalesce(checkouts_daily.checkouts_abandoned_in_session, 0)
            as checkouts_abandoned_in_session,
        coalesce(checkouts_daily.checkouts_abandoned_in_window, 0) as checkouts_abandoned_in_window,
        checkouts_daily.checkouts_abandoned_in_session / nullif(checkouts_daily.checkouts, 0)
            as checkout_abandonment_rate,
        checkouts_daily.checkouts_abandoned_in_window / nullif(checkouts_daily.checkouts, 0)
            as checkout_abandonment_rate_window
    from spine
    left join carts_daily on spine.day = carts_daily.day
    left join checkouts_daily on spine.day = checkouts_daily.day
)

select * from final
order by day
