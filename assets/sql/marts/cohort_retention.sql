-- One row per acquisition cohort (the month of a customer's first placed order) and month
-- since acquisition (0 = the cohort month), up to the last month with orders, zero-filled.
-- active_customers = cohort customers with a placed order in that month; retention_rate =
-- active_customers / cohort_customers (month 0 is 1 by definition). revenue = the cohort's
-- net sales in that month (placed lines less discounts, minus returned, cancelled and
-- adjusted lines, as in marts.orders_daily); revenue_per_customer = revenue /
-- cohort_customers, so summing it over months gives cumulative revenue per acquired customer.
-- A sale, a reversal and each customer's first sale are defined once, by the macros
-- classified_order_lines and first_sale_days (assets/sql/macros.sql); the first reads `lines`
-- where sqlfluff cannot see it (ST03), and its `from` names the asset's input.
with lines as (  -- noqa: ST03
    select * from staging.stg_order_lines
    where customer_key is not null
    -- Identified customers only, the grid's last month included: it is the last month
    -- with an identified customer's order line, as in marts.customer_rates_monthly, so the
    -- customers page's grid and monthly rates cover the same months. A guest's order joins
    -- no cohort, and a last month with guest orders only (say, a feed whose customer ids
    -- went missing) would otherwise show every cohort at 0 % retention.
),

classified as (
    select
        *,
        cast(date_trunc('month', order_date) as date) as order_month
    from classified_order_lines(lines)
),

cohorts as (
    select
        customer_key,
        cast(date_trunc('month', first_sale_date) as date) as cohort_month
    from first_sale_days(classified)
),

cohort_sizes as (
    select
        cohort_month,
        count(*) as cohort_customers
    from cohorts
    group by cohort_month
),

spine as (
    select
        z.cohort_month,
        z.cohort_customers,
        cast(months.m as date) as activity_month,
        cast(datediff('month', z.cohort_month, cast(months.m as date)) as integer)
            as months_since_acquisition
    from cohort_sizes as z,
        (select max(order_month) as last_month from classified) as bounds,
        generate_series(z.cohort_month, bounds.last_month, interval 1 month) as months (m)
),

activity as (
    select
        c.cohort_month,
        l.order_month as activity_month,
        count(distinct l.customer_key) filter (where l.is_sale) as active_customers,
        net_sales_amount(l.line_amount, l.is_sale, l.is_reversal) as revenue
    from classified as l
    inner join cohorts as c on l.customer_key = c.customer_key
    group by all
),

final as (
    select
        s.cohort_month,
        s.months_since_acquisition,
        s.activity_month,
        s.cohort_customers,
        coalesce(a.active_customers, 0) as active_customers,
        coalesce(a.active_customers, 0) / s.cohort_customers as retention_rate,
        coalesce(a.revenue, 0) as revenue,
        coalesce(a.revenue, 0) / s.cohort_customers as revenue_per_customer
    from spine as s
    left join activity as a
        on s.cohort_month = a.cohort_month and s.activity_month = a.activity_month
)

select * from final
order by cohort_month, months_since_acquisition
