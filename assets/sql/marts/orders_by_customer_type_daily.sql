-- One row per day, country and customer type of the order, on the calendar spine and the
-- countries of marts.orders_daily (days without orders hold zeros), so every sum over
-- countries and customer types equals marts.orders_daily's. Customer type: 'new' on the
-- day of the customer's first placed order (and for a reversal booked before any order),
-- 'returning' on every later day, 'guest' for lines without a customer key. Orders, units,
-- gross sales, discounts, cancellations and net sales are defined as in marts.orders_daily;
-- a cancellation or return counts with the customer's type on the day it was booked.
-- Built by day range (incremental/daily_marts.py) like marts.orders_daily: a day's rows
-- depend on that day's lines, each customer's first sale and the set of countries, the
-- last two taken from all lines. A country first seen in the recomputed days adds rows to
-- every earlier day: the build then rebuilds the table in full.
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

typed as (
    select
        l.*,
        case
            when l.customer_key is null then 'guest'
            when f.first_sale_date < l.order_date then 'returning'
            else 'new'
        end as customer_type
    from classified as l
    left join first_sales as f on l.customer_key = f.customer_key
    where is_recomputed_day(l.order_date)
),

spine as (
    select * from order_days(classified)
),

countries as (
    select * from order_countries(classified)
),

customer_types as (
    select unnest(['new', 'returning', 'guest']) as customer_type
),

daily as (
    select
        order_date as day,
        country_name as country,
        customer_type,
        sale_orders(order_id, is_sale) as orders,
        sale_units(quantity, is_sale) as units,
        gross_sales_amount(quantity, unit_price, is_sale) as gross_sales,
        sale_discounts(discount, is_sale) as discounts,
        reversed_sales(
            line_amount, is_reversal and order_status in ('returned', 'cancelled', 'placed')
        ) as cancellations
    from typed
    group by all
),

final as (
    select
        s.day,
        c.country,
        t.customer_type,
        coalesce(d.orders, 0) as orders,
        coalesce(d.units, 0) as units,
        coalesce(d.gross_sales, 0) as gross_sales,
        coalesce(d.discounts, 0) as discounts,
        coalesce(d.cancellations, 0) as cancellations,
        coalesce(d.gross_sales - d.discounts - d.cancellations, 0) as net_sales
    from spine as s
    cross join countries as c
    cross join customer_types as t
    left join daily as d
        on s.day = d.day and c.country = d.country and t.customer_type = d.customer_type
)

select * from final
order by day, country, customer_type
