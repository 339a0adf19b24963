-- One row per distinct event, with a session key and the event's position in its session.
-- Events exported twice (same event_id) keep the newest export. When the export has no
-- session id, sessions are rebuilt per visitor: a gap of more than `session_timeout_minutes`
-- starts a new session, and so do midnight (`split_at_midnight`) and an event whose campaign
-- source differs from the visitor's last known one (`split_on_new_source`), when configured.
-- Exported session ids win over all three rules. Everything here is per visitor, so an
-- incremental build (assets/incremental.py) recomputes only the visitors whose raw rows
-- changed, plus every visitor sharing an event key with them.
-- Each window function sorts every row it sees with all its columns, so the model gives
-- each one only the rows that need it: the newest-export window sees only the events whose
-- key is held by more than one row (and only their key and place), and the session rules
-- only the visitors with at least one event without an exported session id (the others'
-- keys come from their ids alone). The input is read once (materialized): a bucket's read
-- of the raw table costs about a scan of the whole table (incremental/visitor_buckets.py).
with source as (
    select * from raw.traffic_events
    where is_rebuilt_visitor(user_id)
),

keyed_source as materialized (
    select
        *,
        event_key(event_id, _file, _line) as _event_key
    from source
),

repeated_keys as (
    select _event_key
    from keyed_source
    group by _event_key
    having count(*) > 1
),

older_copies as materialized (
    -- Every copy of an event exported more than once but the newest export's; a raw row
    -- is its export day, file and line.
    select
        k._export_date,
        k._file,
        k._line
    from keyed_source as k
    semi join repeated_keys as r on k._event_key = r._event_key
    qualify row_number() over (
        partition by k._event_key
        order by k._export_date desc, k._file desc, k._line asc
    ) > 1
),

deduplicated as (
    select k.*
    from keyed_source as k
    anti join older_copies as o
        on k._export_date = o._export_date and k._file = o._file and k._line = o._line
),

sessionless_visitors as (
    select distinct user_id
    from deduplicated
    where session_id is null
),

sessionless as (
    select d.*
    from deduplicated as d
    semi join sessionless_visitors as v on d.user_id = v.user_id
),

exported_sessions as (
    select d.*
    from deduplicated as d
    anti join sessionless_visitors as v on d.user_id = v.user_id
),

with_previous as (
    select
        *,
        lag(event_at) over visitor as previous_at,
        -- Events inside a session often carry no source; compare with the last one seen.
        last_value(source ignore nulls) over (
            visitor rows between unbounded preceding and 1 preceding
        ) as previous_source
    from sessionless
    window visitor as (partition by user_id order by event_at, _file, _line)
),

with_breaks as (
    select
        *,
        previous_at is null
        or event_at - previous_at > to_minutes(
            cast(getvariable('session_timeout_minutes') as bigint)
        )
        or (
            getvariable('split_at_midnight')
            and cast(event_at as date) <> cast(previous_at as date)
        )
        or (getvariable('split_on_new_source') and source <> previous_source)
            as starts_session
    from with_previous
),

numbered as (
    select
        *,
        sum(case when starts_session then 1 else 0 end)
            over (partition by user_id order by event_at, _file, _line rows unbounded preceding)
            as session_number
    from with_breaks
),

keyed as (
    select
        * exclude (previous_at, previous_source, starts_session, session_number),
        user_id || ':' || coalesce(session_id, 's' || session_number) as session_key
    from numbered
    union all by name
    select
        *,
        user_id || ':' || session_id as session_key
    from exported_sessions
),

final as (
    select
        _event_key as event_id,
        event_at,
        cast(event_at as date) as event_date,
        event_name,
        user_id,
        session_key,
        row_number() over (partition by session_key order by event_at, _file, _line) as event_order,
        customer_key(customer_id, null) as customer_key,
        order_id,
        sku,
        quantity,
        value,
        device,
        source,
        medium,
        country,
        page,
        lower(visitor_type) as visitor_type
    from keyed
)

select * from final
