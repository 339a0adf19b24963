-- One row per SKU: the latest catalog snapshot that names it, with documented defaults.
with source as (
    select * from raw.catalog
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by sku order by _export_date desc, _file desc, _line desc
    ) = 1
),

final as (
    select
        sku,
        description,
        coalesce(category, 'Uncategorised') as category,
        unit_cost,
        unit_price,
        lead_time_days,
        coalesce(lead_time_std_days, 0) as lead_time_std_days,
        greatest(coalesce(moq, 1), 1) as moq,
        greatest(coalesce(pack_size, 1), 1) as pack_size,
        supplier,
        supplier_min_order_value,
        supplier_min_order_qty,
        supplier_order_days,
        coalesce(is_product, is_product_code(sku)) as is_product,
        _export_date as snapshot_date
    from latest
)

select * from final
