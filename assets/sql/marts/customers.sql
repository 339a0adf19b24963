-- One row per identified customer (guest orders have no customer and are left out).
-- revenue is the customer's net sales, as in marts.orders_daily: placed lines with a positive
-- quantity minus the lines that reverse a sale (returns, cancellations, credits: negative
-- quantities), whose total is also kept as refunds (a positive amount); orders cancelled or
-- returned whole with positive quantities never were sales and count in neither. A customer
-- whose every line in the data reverses an earlier order (a return, cancellation or credit of
-- a purchase made before the data starts) is kept with orders = 0, revenue = -refunds, no
-- dates and no R, F, M scores, in rfm_segment 'No purchase in the data'; they are in no
-- acquisition cohort. first_order_month is the customer's acquisition cohort
-- (marts.cohort_retention); is_repeat_customer = two or more placed orders in all the data.
-- Recency is counted in days from the day after the last order in the data. R, F and M
-- scores are quintiles 1-5 (5 = most recent, most orders, most revenue) that keep ties
-- together: a score is 1 + the number of fifths of the buyers ranked strictly below the
-- customer, so every one-order customer has F = 1 however many of them there are (where 99 %
-- buy once, the repeat buyers are F = 5) and two customers with the same last order day have
-- the same R. Segments follow the usual R x F map, and every segment but 'New customers',
-- 'Promising', 'About to sleep' and 'Hibernating' needs F >= 2, hence two or more orders. The
-- lifetime-value columns (probability alive, expected purchases, expected spend, clv,
-- clv_decile 1-10 with 10 the most valuable, clv_model) come from marts.customer_clv (BG/NBD or
-- Pareto/NBD with Gamma-Gamma); NULL when no model could be fitted.
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
        coalesce(
            sum(money(line_amount)) filter (
                where (order_status = 'placed' and quantity > 0) or quantity < 0
            ),
            0
        ) as amount,
        coalesce(-sum(money(line_amount)) filter (where quantity < 0), 0) as refunds,
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
        cast(sum(amount) as double) as revenue,
        cast(sum(refunds) as double) as refunds
    from orders
    group by customer_key
),

clv as (
    select * from marts.customer_clv
),

ranked as (
    select
        s.*,
        a.day - s.last_order_date as recency_days,
        rank() over (order by a.day - s.last_order_date desc) - 1 as r_below,
        rank() over (order by s.orders) - 1 as f_below,
        rank() over (order by s.revenue) - 1 as m_below,
        count(*) over () as buyers
    from summary as s
    cross join as_of as a
    where s.orders > 0
),

scored as (
    select
        * exclude (r_below, f_below, m_below, buyers),
        cast(1 + floor(5 * r_below / buyers) as integer) as r_score,
        cast(1 + floor(5 * f_below / buyers) as integer) as f_score,
        cast(1 + floor(5 * m_below / buyers) as integer) as m_score
    from ranked
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
        scored.refunds,
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
