-- One row per SKU per location per snapshot day; a day exported twice keeps the newest file.
with source as (
    select * from raw.inventory
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
