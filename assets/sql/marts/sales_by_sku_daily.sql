-- One row per SKU per day, zero-filled from the SKU's first order day to the last order day
-- in the data, with the SKU's catalog category ('Uncategorised' when the catalog does not
-- name it). Every code is kept, non-merchandise too (is_product tells them apart), so net
-- sales summed over SKUs equal net sales in marts.orders_daily. Units, gross sales and
-- orders count placed positive lines; net sales also subtract discounts and the negative
-- (returned, cancelled, adjusted) lines, as in marts.orders_daily.
-- Built by day range (incremental/daily_marts.py): a day's rows depend on that day's lines,
-- each SKU's first order day and the catalog; a catalog change rebuilds the table in full.
with lines as (
    select * from staging.stg_order_lines
),

catalog as (
    select
        sku,
        category
    from staging.stg_catalog
),

classified as (
    select
        *,
        order_status = 'placed' and quantity > 0 as is_sale,
        quantity < 0 as is_reversal
    from lines
),

skus as (
    select
        sku,
        min(order_date) as first_day,
        bool_and(is_product) as is_product
    from classified
    group by sku
),

spine as (
    select
        s.sku,
        s.is_product,
        cast(sku_days.d as date) as day
    from skus as s,
        (select max(order_date) as last_day from classified) as bounds,
        generate_series(
            greatest(s.first_day, first_recomputed_day()), bounds.last_day, interval 1 day
        ) as sku_days (d)
),

daily as (
    select
        order_date as day,
        sku,
        cast(coalesce(sum(quantity) filter (where is_sale), 0) as bigint) as units,
        cast(
            coalesce(sum(money(quantity * unit_price)) filter (where is_sale), 0) as double
        ) as gross_sales,
        cast(
            coalesce(sum(money(line_amount)) filter (where is_sale or is_reversal), 0) as double
        ) as net_sales,
        count(distinct order_id) filter (where is_sale) as orders
    from classified
    where is_recomputed_day(order_date)
    group by all
),

final as (
    select
        s.day,
        s.sku,
        coalesce(c.category, 'Uncategorised') as category,
        s.is_product,
        coalesce(d.units, 0) as units,
        coalesce(d.gross_sales, 0) as gross_sales,
        coalesce(d.net_sales, 0) as net_sales,
        coalesce(d.orders, 0) as orders
    from spine as s
    left join daily as d on s.sku = d.sku and s.day = d.day
    left join catalog as c on s.sku = c.sku
)

select * from final
order by sku, day
