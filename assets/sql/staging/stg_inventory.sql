-- One row per SKU per location per snapshot day; a day exported twice keeps the newest file.
-- A snapshot day's rows depend only on its own raw rows, so an incremental build recomputes
-- only the snapshot days the night's exports touched.
with source as (
    select * from raw.inventory
    where is_rebuilt_key(snapshot_date)
),

deduplicated as (
    select *
    from source
    qualify row_number() over (
        partition by snapshot_date, sku, coalesce(location, 'main')
        order by _export_date desc, _file desc, _line desc
    ) = 1
),

final as (
    select
        snapshot_date,
        sku,
        coalesce(location, 'main') as location,
        on_hand,
        coalesce(on_order, 0) as on_order
    from deduplicated
)

select * from final
