-- One row per order line. When an order appears in several export files, the lines of the
-- newest export win (an order is replaced whole, never merged line by line). Inside one
-- file every line is kept, identical ones too: the Online Retail layout has no line id,
-- so two identical lines may be two real lines. Customer PII is hashed (customer_key) or
-- dropped here and never goes further. An order's lines depend only on its own raw rows
-- (and the catalog), so an incremental build recomputes only the orders the night touched.
with source as (
    select * from raw.orders
    where is_rebuilt_key(order_id)
),

catalog as (
    select
        sku,
        is_product
    from staging.stg_catalog
),

newest_export as (
    select *
    from source
    qualify dense_rank() over (partition by order_id order by _export_date desc, _file desc) = 1
),

final as (
    select
        l.order_id,
        row_number() over (partition by l.order_id order by l._line) as line_number,
        l.ordered_at,
        cast(l.ordered_at as date) as order_date,
        l.sku,
        l.description,
        l.quantity,
        l.unit_price,
        coalesce(l.discount, 0) as discount,
        coalesce(l.currency, getvariable('default_currency')) as currency,
        customer_key(l.customer_id, l.customer_email) as customer_key,
        l.country,
        coalesce(l.order_status, case when l.quantity < 0 then 'returned' else 'placed' end)
            as order_status,
        coalesce(c.is_product, is_product_code(l.sku)) as is_product,
        l.quantity * l.unit_price - coalesce(l.discount, 0) as line_amount,
        l._export_date as export_date,
        l._file as source_file,
        l._line as source_line
    from newest_export as l
    left join catalog as c on l.sku = c.sku
)

select * from final
