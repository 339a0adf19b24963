-- One row per distinct event, with a session key. Events exported twice (same event_id)
-- keep the newest export. When the export has no session id, sessions are rebuilt per
-- visitor: a gap of more than `session_timeout_minutes` starts a new session.
with source as (
    select * from raw.traffic_events
),

deduplicated as (
    select *
    from source
    qualify row_number() over (
        partition by coalesce(event_id, _file || ':' || _line)
        order by _export_date desc, _file desc, _line
    ) = 1
),

with_gaps as (
    select
        *,
        event_at - lag(event_at) over (partition by user_id order by event_at, _file, _line) as gap
    from deduplicated
),

numbered as (
    select
        *,
        sum(case when gap is null or gap > to_minutes(cast(getvariable('session_timeout_minutes') as bigint)) then 1 else 0 end)
            over (partition by user_id order by event_at, _file, _line rows unbounded preceding) as session_number
    from with_gaps
),

final as (
    select
        coalesce(event_id, _file || ':' || _line) as event_id,
        event_at,
        cast(event_at as date) as event_date,
        event_name,
        user_id,
        user_id || ':' || coalesce(session_id, 's' || session_number) as session_key,
        customer_key(customer_id, null) as customer_key,
        order_id,
        sku,
        quantity,
        value,
        device,
        source,
        medium,
        country,
        page
    from numbered
)

select * from final
