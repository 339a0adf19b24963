-- One row per identified customer with at least one placed order (guest orders have no
-- customer and are left out). first_order_month is the customer's acquisition cohort
-- (marts.cohort_retention); is_repeat_customer = two or more placed orders in all the data.
-- Recency is counted in days from the day after the last order in the data. R, F and M
-- scores are quintiles 1-5 (5 = most recent, most orders, most revenue); segments follow
-- the usual R x F map. `clv` is a first cut until the BG/NBD model lands: the customer's
-- margin per year of tenure (tenure at least 90 days), kept for the expected lifetime
-- implied by the shop's repeat-customer rate r and the discount rate d: value x (1+d)/(1+d-r).
with lines as (
    select * from staging.stg_order_lines where customer_key is not null
),

as_of as (
    select max(order_date) + 1 as day from staging.stg_order_lines
),

orders as (
    select
        customer_key,
        order_id,
        min(order_date) as order_date,
        sum(line_amount) as amount,
        bool_or(order_status = 'placed' and quantity > 0) as is_sale,
        arg_max(country, ordered_at) as country
    from lines
    group by all
),

summary as (
    select
        customer_key,
        arg_max(country, order_date) as country,
        min(order_date) filter (where is_sale) as first_order_date,
        max(order_date) filter (where is_sale) as last_order_date,
        count(*) filter (where is_sale) as orders,
        sum(amount) as revenue
    from orders
    group by customer_key
    having count(*) filter (where is_sale) > 0
),

repeat_rate as (
    select least(avg(case when orders >= 2 then 1.0 else 0.0 end), 0.9) as r from summary
),

scored as (
    select
        s.*,
        a.day - s.last_order_date as recency_days,
        ntile(5) over (order by a.day - s.last_order_date desc, s.customer_key) as r_score,
        ntile(5) over (order by s.orders, s.customer_key) as f_score,
        ntile(5) over (order by s.revenue, s.customer_key) as m_score,
        greatest(a.day - s.first_order_date, 90) / 365.25 as tenure_years
    from summary as s
    cross join as_of as a
),

final as (
    select
        customer_key,
        country,
        first_order_date,
        cast(date_trunc('month', first_order_date) as date) as first_order_month,
        last_order_date,
        orders,
        orders >= 2 as is_repeat_customer,
        revenue,
        recency_days,
        r_score,
        f_score,
        m_score,
        case
            when r_score = 5 and f_score >= 4 then 'Champions'
            when r_score >= 3 and f_score >= 4 then 'Loyal'
            when r_score >= 4 and f_score between 2 and 3 then 'Potential loyalists'
            when r_score = 5 and f_score = 1 then 'New customers'
            when r_score = 4 and f_score = 1 then 'Promising'
            when r_score = 3 and f_score = 3 then 'Need attention'
            when r_score = 3 and f_score <= 2 then 'About to sleep'
            when r_score <= 2 and f_score = 5 then 'Cannot lose them'
            when r_score <= 2 and f_score between 3 and 4 then 'At risk'
            else 'Hibernating'
        end as rfm_segment,
        greatest(
            revenue * getvariable('gross_margin') / tenure_years
                * (1 + getvariable('annual_discount_rate'))
                / (1 + getvariable('annual_discount_rate') - rr.r),
            0
        ) as clv
    from scored
    cross join repeat_rate as rr
)

select * from final order by customer_key
