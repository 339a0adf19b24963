-- One row per parcel: a parcel exported twice (same order and shipment id) keeps the newest
-- export, so a later tracking export that adds the delivery time replaces the earlier row.
with source as (
    select * from raw.shipments
),

deduplicated as (
    select *
    from source
    qualify row_number() over (
        partition by order_id, coalesce(shipment_id, '')
        order by _export_date desc, _file desc, _line desc
    ) = 1
),

final as (
    select
        order_id,
        coalesce(shipment_id, order_id) as shipment_key,
        shipped_at,
        delivered_at,
        promised_date,
        coalesce(carrier, '(unknown)') as carrier,
        coalesce(region, '(unknown)') as region
    from deduplicated
)

select * from final
