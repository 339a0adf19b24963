-- One row per identified customer (guest orders have no customer and are left out). A
-- customer whose every line in the data reverses an earlier order (a return or cancellation
-- of a purchase made before the data starts) is kept with orders = 0, their (negative)
-- revenue, no dates and no R, F, M scores, in rfm_segment 'No purchase in the data'; they are
-- in no acquisition cohort. first_order_month is the customer's acquisition cohort
-- (marts.cohort_retention); is_repeat_customer = two or more placed orders in all the data.
-- Recency is counted in days from the day after the last order in the data. R, F and M
-- scores are quintiles 1-5 (5 = most recent, most orders, most revenue); segments follow
-- the usual R x F map. The lifetime-value columns (probability alive, expected purchases,
-- expected spend, clv, clv_decile 1-10 with 10 the most valuable, clv_model) come from
-- marts.customer_clv (BG/NBD or Pareto/NBD with Gamma-Gamma); NULL when no model could be fitted.
with lines as (
    select * from staging.stg_order_lines
    where customer_key is not null
),

as_of as (
    select max(order_date) + 1 as day from staging.stg_order_lines
),

orders as (
    select
        customer_key,
        order_id,
        min(order_date) as order_date,
        sum(money(line_amount)) as amount,
        bool_or(order_status = 'placed' and quantity > 0) as is_sale,
        -- Ties broken by a unique key, so a rerun picks the same country.
        arg_max(country, (ordered_at, line_number)) as country
    from lines
    group by all
),

summary as (
    select
        customer_key,
        arg_max(country, (order_date, order_id)) as country,
        min(order_date) filter (where is_sale) as first_order_date,
        max(order_date) filter (where is_sale) as last_order_date,
        count(*) filter (where is_sale) as orders,
        cast(sum(amount) as double) as revenue
    from orders
    group by customer_key
),

clv as (
    select * from marts.customer_clv
),

scored as (
    select
        s.*,
        a.day - s.last_order_date as recency_days,
        ntile(5) over (order by a.day - s.last_order_date desc, s.customer_key) as r_score,
        ntile(5) over (order by s.orders, s.customer_key) as f_score,
        ntile(5) over (order by s.revenue, s.customer_key) as m_score
    from summary as s
    cross join as_of as a
    where s.orders > 0
    union all by name
    select
        *,
        null as recency_days,
        null as r_score,
        null as f_score,
        null as m_score
    from summary
    where orders = 0
),

final as (
    select
        scored.customer_key,
        scored.country,
        scored.first_order_date,
        cast(date_trunc('month', scored.first_order_date) as date) as first_order_month,
        scored.last_order_date,
        scored.orders,
        scored.orders >= 2 as is_repeat_customer,
        scored.revenue,
        scored.recency_days,
        scored.r_score,
        scored.f_score,
        scored.m_score,
        case
            when scored.orders = 0 then 'No purchase in the data'
            when scored.r_score = 5 and scored.f_score >= 4 then 'Champions'
            when scored.r_score >= 3 and scored.f_score >= 4 then 'Loyal'
            when scored.r_score >= 4 and scored.f_score between 2 and 3 then 'Potential loyalists'
            when scored.r_score = 5 and scored.f_score = 1 then 'New customers'
            when scored.r_score = 4 and scored.f_score = 1 then 'Promising'
            when scored.r_score = 3 and scored.f_score = 3 then 'Need attention'
            when scored.r_score = 3 and scored.f_score <= 2 then 'About to sleep'
            when scored.r_score <= 2 and scored.f_score = 5 then 'Cannot lose them'
            when scored.r_score <= 2 and scored.f_score between 3 and 4 then 'At risk'
            else 'Hibernating'
        end as rfm_segment,
        clv.p_alive,
        clv.expected_purchases_30d,
        clv.expected_purchases_90d,
        clv.expected_purchases_365d,
        clv.expected_avg_spend,
        clv.clv,
        clv.clv_decile,
        clv.model as clv_model
    from scored
    left join clv on scored.customer_key = clv.customer_key
)

select * from final
order by customer_key
