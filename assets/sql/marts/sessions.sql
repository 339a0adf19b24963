-- One row per session (staging.stg_traffic_events.session_key). A session's day, device,
-- source, medium, country and landing page are those of its first event that has one;
-- missing ones read '(not set)' (source '(direct)', medium '(none)', as GA4 labels them).
-- visitor_type: as the export labels the visitor (first labelled event of the session) when it
-- does; otherwise 'returning' when the visitor has an earlier session in the warehouse, else
-- 'new'. is_returning_visitor: visitor_type = 'returning'. funnel_step is
-- the closed funnel's last step reached in event order within the session: 0 none,
-- 1 view_item, 2 add_to_cart after it, 3 begin_checkout after that, 4 purchase after that.
-- has_* flags are the open funnel: the event happened in the session, in any order.
-- Everything is per visitor: an incremental build recomputes the visitors staging recomputed.
with events as (
    select * from staging.stg_traffic_events
    where is_rebuilt_visitor(user_id)
),

aggregated as (
    select
        session_key,
        any_value(user_id) as user_id,
        arg_min(customer_key, event_order) filter (where customer_key is not null) as customer_key,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        arg_min(device, event_order) filter (where device is not null) as device,
        arg_min(source, event_order) filter (where source is not null) as source,
        arg_min(medium, event_order) filter (where medium is not null) as medium,
        arg_min(country, event_order) filter (where country is not null) as country,
        arg_min(page, event_order) filter (where page is not null) as landing_page,
        arg_min(visitor_type, event_order) filter (where visitor_type is not null)
            as exported_visitor_type,
        bool_or(event_name = 'view_item') as has_view_item,
        bool_or(event_name = 'add_to_cart') as has_cart,
        bool_or(event_name = 'begin_checkout') as has_checkout,
        bool_or(event_name = 'purchase') as has_purchase,
        -- The funnel events as letters in event order (v, c, k, p): the closed funnel is a
        -- subsequence match on this string.
        string_agg(
            case event_name
                when 'view_item' then 'v' when 'add_to_cart' then 'c'
                when 'begin_checkout' then 'k' when 'purchase' then 'p'
            end,
            '' order by event_order
        ) as funnel_path,
        min(event_at) filter (where event_name = 'add_to_cart') as carted_at,
        min(event_at) filter (where event_name = 'begin_checkout') as checked_out_at,
        cast(
            coalesce(sum(money(value)) filter (where event_name = 'add_to_cart'), 0) as double
        ) as cart_value,
        cast(
            coalesce(sum(money(value)) filter (where event_name = 'purchase'), 0) as double
        ) as purchase_value,
        count(*) filter (where event_name = 'purchase') as purchases
    from events
    group by session_key
),

typed as (
    select
        session_key,
        user_id,
        customer_key,
        started_at,
        ended_at,
        cast(started_at as date) as day,
        coalesce(device, '(not set)') as device,
        coalesce(source, '(direct)') as source,
        coalesce(medium, '(none)') as medium,
        coalesce(country, '(not set)') as country,
        coalesce(landing_page, '(not set)') as landing_page,
        coalesce(
            exported_visitor_type,
            case
                when row_number() over (partition by user_id order by started_at, session_key) > 1
                    then 'returning'
                else 'new'
            end
        ) as visitor_type,
        has_view_item,
        has_cart,
        has_checkout,
        has_purchase,
        case
            when regexp_matches(coalesce(funnel_path, ''), 'v.*c.*k.*p') then 4
            when regexp_matches(coalesce(funnel_path, ''), 'v.*c.*k') then 3
            when regexp_matches(coalesce(funnel_path, ''), 'v.*c') then 2
            when regexp_matches(coalesce(funnel_path, ''), 'v') then 1
            else 0
        end as funnel_step,
        carted_at,
        checked_out_at,
        cart_value,
        purchase_value,
        purchases
    from aggregated
),

final as (
    select
        *,
        visitor_type = 'returning' as is_returning_visitor
    from typed
)

select * from final
order by started_at, session_key
