-- One row per delivery outcome (on time, late): how late delivery moves what customers say.
-- Feedback joins its order's shipment; reviews give the mean star rating, NPS answers give
-- NPS = % promoters (9-10) - % detractors (0-6). Feedback on orders without a delivered
-- shipment is left out.
with feedback as (
    select * from staging.stg_feedback
    where order_id is not null
),

deliveries as (
    select
        order_id,
        bool_or(cast(delivered_at as date) > promised_date) as is_late
    from staging.stg_shipments
    where delivered_at is not null and promised_date is not null
    group by order_id
),

joined as (
    select
        f.*,
        case when d.is_late then 'late' else 'on time' end as delivery
    from feedback as f
    inner join deliveries as d on f.order_id = d.order_id
),

final as (
    select
        delivery,
        count(distinct order_id) as orders_with_feedback,
        count(rating) as reviews,
        avg(rating) as mean_rating,
        count(nps_score) as nps_answers,
        avg(nps_score) as mean_nps_score,
        100.0 * (count(*) filter (where nps_score >= 9) - count(*) filter (where nps_score <= 6))
        / nullif(count(nps_score), 0) as nps
    from joined
    group by delivery
)

select * from final
order by delivery
