-- One row per calendar month from the first to the last month with orders, zero-filled;
-- identified customers only (guests cannot be recognised again). customers = customers with
-- a placed order in the month; new_customers = of them, those whose first placed order ever
-- is in the month; returning_customers = those who had ordered before the month.
-- returning_customer_rate (Shopify) = customers in the month with two or more placed orders
-- up to the month's end, the first one possibly before the month / customers.
-- repeat_purchase_rate = customers with two or more placed orders inside the month /
-- customers. cumulative_repeat_purchase_rate = customers with two or more placed orders up
-- to the month's end / all customers acquired up to the month's end (the true repeat rate).
-- Rates are NULL where their denominator is zero.
with lines as (
    select * from staging.stg_order_lines
    where customer_key is not null
),

orders as (
    select
        customer_key,
        order_id,
        cast(date_trunc('month', min(order_date)) as date) as order_month
    from lines
    where order_status = 'placed' and quantity > 0
    group by customer_key, order_id
),

customer_months as (
    select
        customer_key,
        order_month,
        count(*) as orders_in_month,
        min(order_month) over (partition by customer_key) as first_month,
        sum(count(*)) over (partition by customer_key order by order_month) as orders_to_date
    from orders
    group by customer_key, order_month
),

bounds as (
    select
        min(order_month) as first_month,
        max(order_month) as last_month
    from orders
),

spine as (
    select cast(months.m as date) as month
    from bounds,
        generate_series(bounds.first_month, bounds.last_month, interval 1 month) as months (m)
),

monthly as (
    select
        order_month as month,
        count(*) as customers,
        count(*) filter (where first_month = order_month) as new_customers,
        count(*) filter (where first_month < order_month) as returning_customers,
        count(*) filter (where orders_to_date >= 2) as customers_with_repeat_order,
        count(*) filter (where orders_in_month >= 2) as customers_with_repeat_in_month
    from customer_months
    group by order_month
),

to_date as (
    select
        s.month,
        count(distinct c.customer_key) as customers_to_date,
        count(distinct c.customer_key) filter (where c.orders_to_date >= 2)
            as repeat_customers_to_date
    from spine as s
    left join customer_months as c on s.month >= c.order_month
    group by s.month
),

final as (
    select
        s.month,
        coalesce(m.customers, 0) as customers,
        coalesce(m.new_customers, 0) as new_customers,
        coalesce(m.returning_customers, 0) as returning_customers,
        coalesce(m.customers_with_repeat_order, 0) as customers_with_repeat_order,
        coalesce(m.customers_with_repeat_in_month, 0) as customers_with_repeat_in_month,
        t.customers_to_date,
        t.repeat_customers_to_date,
        m.customers_with_repeat_order / nullif(m.customers, 0) as returning_customer_rate,
        m.customers_with_repeat_in_month / nullif(m.customers, 0) as repeat_purchase_rate,
        t.repeat_customers_to_date / nullif(t.customers_to_date, 0)
            as cumulative_repeat_purchase_rate
    from spine as s
    left join monthly as m on s.month = m.month
    inner join to_date as t on s.month = t.month
)

select * from final
order by month
