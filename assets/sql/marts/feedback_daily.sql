-- One row per day on a calendar spine from the first to the last day with feedback or
-- orders, zero-filled. Reviews and NPS answers count on the day they were submitted; orders
-- and reviewed_orders on the day the order was placed. reviews = review answers with a
-- rating (1-5); mean_rating and ratings_1..ratings_5 describe them; csat = share of reviews
-- rated 4 or 5 (the usual top-two-box CSAT). nps_answers = NPS answers with a score (0-10):
-- promoters 9-10, passives 7-8, detractors 0-6; nps = 100 x (promoters - detractors) /
-- nps_answers, from -100 to 100. orders = orders placed that day (placed orders with a
-- positive line, as in marts.orders_daily); reviewed_orders = those of them with at least one
-- rated review, submitted at any time; review_rate = reviewed_orders / orders, the share of
-- the day's orders reviewed so far, never above 1 (reviews per order would count a product
-- review per line and mix the reviews of older orders into the day). Rates are NULL where
-- their denominator is zero. Built by day range (incremental/daily_marts.py): a day's rows
-- depend on that day's feedback and orders and on the feedback of that day's orders.
with feedback as (
    select * from staging.stg_feedback
),

order_lines as (
    select * from staging.stg_order_lines
),

reviews as (
    select
        submitted_date as day,
        rating
    from feedback
    where feedback_type = 'review' and rating is not null and is_recomputed_day(submitted_date)
),

nps as (
    select
        submitted_date as day,
        nps_score
    from feedback
    where feedback_type = 'nps' and nps_score is not null and is_recomputed_day(submitted_date)
),

orders as (
    select
        order_date as day,
        count(distinct order_id) as orders
    from order_lines
    where order_status = 'placed' and quantity > 0
    group by order_date
),

reviewed_order_ids as (
    select distinct order_id
    from feedback
    where feedback_type = 'review' and rating is not null and order_id is not null
),

reviewed_daily as (
    select
        l.order_date as day,
        count(distinct l.order_id) as reviewed_orders
    from order_lines as l
    inner join reviewed_order_ids as r on l.order_id = r.order_id
    where l.order_status = 'placed' and l.quantity > 0 and is_recomputed_day(l.order_date)
    group by l.order_date
),

active_days as (
    select submitted_date as day from feedback
    union all
    select day from orders
),

spine as (
    select day
    from day_spine((select min(day) from active_days), (select max(day) from active_days))
    where is_recomputed_day(day)
),

review_daily as (
    select
        day,
        count(*) as reviews,
        avg(rating) as mean_rating,
        count(*) filter (where rating = 1) as ratings_1,
        count(*) filter (where rating = 2) as ratings_2,
        count(*) filter (where rating = 3) as ratings_3,
        count(*) filter (where rating = 4) as ratings_4,
        count(*) filter (where rating = 5) as ratings_5
    from reviews
    group by day
),

nps_daily as (
    select
        day,
        count(*) as nps_answers,
        count(*) filter (where nps_score >= 9) as promoters,
        count(*) filter (where nps_score between 7 and 8) as passives,
        count(*) filter (where nps_score <= 6) as detractors
    from nps
    group by day
),

final as (
    select
        s.day,
        coalesce(r.reviews, 0) as reviews,
        r.mean_rating,
        coalesce(r.ratings_1, 0) as ratings_1,
        coalesce(r.ratings_2, 0) as ratings_2,
        coalesce(r.ratings_3, 0) as ratings_3,
        coalesce(r.ratings_4, 0) as ratings_4,
        coalesce(r.ratings_5, 0) as ratings_5,
        (r.ratings_4 + r.ratings_5) / nullif(r.reviews, 0) as csat,
        coalesce(n.nps_answers, 0) as nps_answers,
        coalesce(n.promoters, 0) as promoters,
        coalesce(n.passives, 0) as passives,
        coalesce(n.detractors, 0) as detractors,
        100.0 * (n.promoters - n.detractors) / nullif(n.nps_answers, 0) as nps,
        coalesce(o.orders, 0) as orders,
        coalesce(v.reviewed_orders, 0) / nullif(o.orders, 0) as review_rate,
        coalesce(v.reviewed_orders, 0) as reviewed_orders
    from spine as s
    left join review_daily as r on s.day = r.day
    left join nps_daily as n on s.day = n.day
    left join orders as o on s.day = o.day
    left join reviewed_daily as v on s.day = v.day
)

select * from final
order by day
