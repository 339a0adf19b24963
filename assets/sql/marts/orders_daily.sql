-- One row per day and country, on the order date. Orders are placed orders with at least
-- one positive line. Gross sales = positive lines of placed orders at unit price; discounts
-- = line discounts; cancellations = value of cancelled or returned lines and negative
-- adjustments (as a positive amount). Net sales = gross sales - discounts - cancellations,
-- so over all days net sales equal the export's sum of quantity x price minus discounts.
-- AOV = (gross sales - discounts) / orders (Shopify's average order value).
with lines as (
    select * from staging.stg_order_lines
),

classified as (
    select
        *,
        order_status = 'placed' and quantity > 0 as is_sale
    from lines
),

final as (
    select
        order_date as day,
        coalesce(country, '(unknown)') as country,
        count(distinct order_id) filter (where is_sale) as orders,
        count(*) filter (where is_sale) as order_lines,
        cast(coalesce(sum(quantity) filter (where is_sale), 0) as bigint) as units,
        count(distinct customer_key) filter (where is_sale) as customers,
        coalesce(sum(quantity * unit_price) filter (where is_sale), 0) as gross_sales,
        coalesce(sum(discount) filter (where is_sale), 0) as discounts,
        coalesce(-sum(line_amount) filter (where not is_sale), 0) as cancellations,
        coalesce(sum(line_amount), 0) as net_sales,
        (coalesce(sum(quantity * unit_price) filter (where is_sale), 0)
            - coalesce(sum(discount) filter (where is_sale), 0))
            / nullif(count(distinct order_id) filter (where is_sale), 0) as aov
    from classified
    group by all
)

select * from final order by day, country
