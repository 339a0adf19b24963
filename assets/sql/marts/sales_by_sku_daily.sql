-- One row per SKU per day, zero-filled from the SKU's first order day to the last order day
-- in the data, with the SKU's catalog category ('Uncategorised' when the catalog does not
-- name it). Every code is kept, non-merchandise too (is_product tells them apart), so net
-- sales summed over SKUs equal net sales in marts.orders_daily. Units, gross sales and
-- orders count placed positive lines; net sales also subtract discounts and the negative
-- (returned, cancelled, adjusted) lines, as in marts.orders_daily.
-- Built by day range (incremental/daily_marts.py): a day's rows depend on that day's lines,
-- each SKU's first order day and the catalog; a catalog change rebuilds the table in full.
-- A full build of many lines runs once per range of SKUs (incremental/sku_ranges.py): the
-- per-SKU parts read the range's SKUs (is_rebuilt_sku); the last day is the shop's, from
-- all lines (macro shop_last_order_day, computed once).
-- A sale and a reversal are defined once, by the macro classified_order_lines
-- (assets/sql/macros.sql); it reads `lines` where sqlfluff cannot see it (ST03), and its
-- `from` names the asset's input.
with lines as (  -- noqa: ST03
    select * from staging.stg_order_lines
),

catalog as (
    select
        sku,
        category
    from staging.stg_catalog
),

classified as (
    select * from classified_order_lines(lines)
),

skus as (
    select
        sku,
        min(order_date) as first_day,
        bool_and(is_product) as is_product
    from classified
    where is_rebuilt_sku(sku)
    group by sku
),

spine as (
    select
        s.sku,
        s.is_product,
        cast(sku_days.d as date) as day
    from skus as s,
        (select day as last_day from shop_last_order_day(lines)) as bounds,
        generate_series(
            greatest(s.first_day, first_recomputed_day()), bounds.last_day, interval 1 day
        ) as sku_days (d)
),

daily as (
    select
        order_date as day,
        sku,
        sale_units(quantity, is_sale) as units,
        gross_sales_amount(quantity, unit_price, is_sale) as gross_sales,
        net_sales_amount(line_amount, is_sale, is_reversal) as net_sales,
        sale_orders(order_id, is_sale) as orders
    from classified
    where is_recomputed_day(order_date) and is_rebuilt_sku(sku)
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
