-- One row per day and country seen in the orders, on a calendar spine from the first to the
-- last order day (days without orders hold zeros; no '(all)' row, so sums over countries
-- never double count). Orders are placed orders with at least one positive line. Gross
-- sales = positive lines of placed orders at unit price; discounts = their line discounts.
-- Negative lines reverse earlier sales: returned_sales (status returned), cancelled_sales
-- (status cancelled, e.g. Online Retail C-invoices) and adjustments (negative lines still
-- marked placed), all as positive amounts; cancellations = their sum. Orders marked
-- cancelled or returned with positive quantities (Shopify style) were never counted as sales
-- and are only counted in cancelled_orders / returned_orders. Net sales = gross sales -
-- discounts - cancellations. AOV = (gross sales - discounts) / orders (Shopify). A customer
-- is new on the day of their first placed order and returning on later days (ordered before).
-- Built by day range (incremental/daily_marts.py): a day's rows depend on that day's lines,
-- each customer's first sale and the set of countries, the last two taken from all lines.
-- A country first seen in the recomputed days adds rows to every earlier day: the build
-- then rebuilds the table in full.
-- `lines` is read through the macro classified_order_lines (assets/sql/macros.sql),
-- where sqlfluff does not see it (ST03); its `from` names the asset's input (sql_references.py).
with lines as (  -- noqa: ST03
    select * from staging.stg_order_lines
),

classified as (
    select * from classified_order_lines(lines)
),

first_sales as (
    select * from first_sale_days(classified)
),

spine as (
    select * from order_days(classified)
),

countries as (
    select * from order_countries(classified)
),

daily as (
    select
        l.order_date as day,
        l.country_name as country,
        sale_orders(l.order_id, l.is_sale) as orders,
        count(*) filter (where l.is_sale) as order_lines,
        sale_units(l.quantity, l.is_sale) as units,
        count(distinct l.customer_key) filter (where l.is_sale) as customers,
        count(distinct l.customer_key) filter (
            where l.is_sale and f.first_sale_date = l.order_date
        ) as new_customers,
        count(distinct l.customer_key) filter (
            where l.is_sale and f.first_sale_date < l.order_date
        ) as returning_customers,
        gross_sales_amount(l.quantity, l.unit_price, l.is_sale) as gross_sales,
        sale_discounts(l.discount, l.is_sale) as discounts,
        reversed_sales(
            l.line_amount, l.is_reversal and l.order_status = 'returned'
        ) as returned_sales,
        reversed_sales(
            l.line_amount, l.is_reversal and l.order_status = 'cancelled'
        ) as cancelled_sales,
        reversed_sales(
            l.line_amount, l.is_reversal and l.order_status = 'placed'
        ) as adjustments,
        count(distinct l.order_id) filter (where l.order_status = 'returned') as returned_orders,
        count(distinct l.order_id) filter (where l.order_status = 'cancelled') as cancelled_orders
    from classified as l
    left join first_sales as f on l.customer_key = f.customer_key
    where is_recomputed_day(l.order_date)
    group by all
),

final as (
    select
        s.day,
        c.country,
        coalesce(d.orders, 0) as orders,
        coalesce(d.order_lines, 0) as order_lines,
        coalesce(d.units, 0) as units,
        coalesce(d.customers, 0) as customers,
        coalesce(d.new_customers, 0) as new_customers,
        coalesce(d.returning_customers, 0) as returning_customers,
        coalesce(d.gross_sales, 0) as gross_sales,
        coalesce(d.discounts, 0) as discounts,
        coalesce(d.returned_sales, 0) as returned_sales,
        coalesce(d.cancelled_sales, 0) as cancelled_sales,
        coalesce(d.adjustments, 0) as adjustments,
        coalesce(d.returned_sales + d.cancelled_sales + d.adjustments, 0) as cancellations,
        coalesce(d.returned_orders, 0) as returned_orders,
        coalesce(d.cancelled_orders, 0) as cancelled_orders,
        coalesce(
            d.gross_sales - d.discounts - d.returned_sales - d.cancelled_sales - d.adjustments, 0
        ) as net_sales,
        (d.gross_sales - d.discounts) / nullif(d.orders, 0) as aov
    from spine as s
    cross join countries as c
    left join daily as d on s.day = d.day and c.country = d.country
)

select * from final
order by day, country
