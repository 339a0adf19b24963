-- One row per day, scope (session | user) and funnel_type (closed | open), on a calendar
-- spine from the first to the last traffic day (days without sessions hold zeros). Counts
-- are sessions (scope session) or distinct visitors (scope user) that reached each step
-- on that day; a session counts on the day it started. Closed: the steps view_item ->
-- add_to_cart -> begin_checkout -> purchase happened in that order within one session
-- (marts.sessions.funnel_step), so a purchase without an earlier view_item is not counted.
-- Open: the step's event happened in the session, whatever came before. A visitor reaches
-- a step when any of their sessions that day does. `visitors` is all sessions or all
-- visitors of the day: conversion_rate = purchased / visitors, in scope user GA4's user
-- key-event rate. Step rates = units at a step that reached the next / units at the step;
-- NULL on a zero denominator. Built by day range (incremental/daily_marts.py): a day's rows
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

steps as (
    select
        day,
        session_key,
        user_id,
        'closed' as funnel_type,
        funnel_step >= 1 as viewed,
        funnel_step >= 2 as carted,
        funnel_step >= 3 as checked_out,
        funnel_step >= 4 as purchased
    from sessions
    union all
    select
        day,
        session_key,
        user_id,
        'open' as funnel_type,
        has_view_item as viewed,
        has_cart as carted,
        has_checkout as checked_out,
        has_purchase as purchased
    from sessions
),

-- A visitor reaches a step on a day when any of their sessions that day does.
visitor_steps as (
    select
        day,
        user_id as unit,
        funnel_type,
        bool_or(viewed) as viewed,
        bool_or(carted) as carted,
        bool_or(checked_out) as checked_out,
        bool_or(purchased) as purchased
    from steps
    group by day, user_id, funnel_type
),

units as (
    select
        day,
        'session' as scope,
        funnel_type,
        session_key as unit,
        viewed,
        carted,
        checked_out,
        purchased
    from steps
    union all
    select
        day,
        'user' as scope,
        funnel_type,
        unit,
        viewed,
        carted,
        checked_out,
        purchased
    from visitor_steps
),

-- Step rates count the units at a step that also reached the next one: in the closed
-- funnel that is every unit at the next step; in the open funnel a unit can reach a later
-- step without an earlier one, and such units must not push a rate above 1.
counted as (
    select
        day,
        scope,
        funnel_type,
        count(*) as visitors,
        count(*) filter (where viewed) as viewed,
        count(*) filter (where carted) as carted,
        count(*) filter (where checked_out) as checked_out,
        count(*) filter (where purchased) as purchased,
        count(*) filter (where viewed and carted) / nullif(count(*) filter (where viewed), 0)
            as view_to_cart_rate,
        count(*) filter (where carted and checked_out) / nullif(count(*) filter (where carted), 0)
            as cart_to_checkout_rate,
        count(*) filter (where checked_out and purchased)
        / nullif(count(*) filter (where checked_out), 0)
            as checkout_to_purchase_rate,
        count(*) filter (where viewed and purchased) / nullif(count(*) filter (where viewed), 0)
            as view_to_purchase_rate,
        count(*) filter (where purchased) / count(*) as conversion_rate
    from units
    group by day, scope, funnel_type
),

grid as (
    select
        spine.day,
        scopes.scope,
        funnel_types.funnel_type
    from spine
    cross join (values ('session'), ('user')) as scopes (scope)
    cross join (values ('closed'), ('open')) as funnel_types (funnel_type)
),

final as (
    select
        grid.day,
        grid.scope,
        grid.funnel_type,
        coalesce(counted.visitors, 0) as visitors,
        coalesce(counted.viewed, 0) as viewed,
        coalesce(counted.carted, 0) as carted,
        coalesce(counted.checked_out, 0) as checked_out,
        coalesce(counted.purchased, 0) as purchased,
        counted.view_to_cart_rate,
        counted.cart_to_checkout_rate,
        counted.checkout_to_purchase_rate,
        counted.view_to_purchase_rate,
        counted.conversion_rate
    from grid
    left join counted
        on
            grid.day = counted.day
            and grid.scope = counted.scope
            and grid.funnel_type = counted.funnel_type
)

select * from final
order by day, scope, funnel_type
