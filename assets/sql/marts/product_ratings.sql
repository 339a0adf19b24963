-- One row per SKU with at least one rated review, worst rated first: reviews, mean rating,
-- low_ratings (1-2 stars) and csat (share rated 4-5), with the SKU's catalog category
-- ('Uncategorised' when the catalog does not name it). Reviews without a SKU are left out.
with feedback as (
    select * from staging.stg_feedback
),

catalog as (
    select
        sku,
        category
    from staging.stg_catalog
),

reviews as (
    select
        sku,
        rating
    from feedback
    where feedback_type = 'review' and rating is not null and sku is not null
),

by_sku as (
    select
        sku,
        count(*) as reviews,
        avg(rating) as mean_rating,
        count(*) filter (where rating <= 2) as low_ratings,
        count(*) filter (where rating >= 4) / count(*) as csat
    from reviews
    group by sku
),

final as (
    select
        r.sku,
        coalesce(c.category, 'Uncategorised') as category,
        r.reviews,
        r.mean_rating,
        r.low_ratings,
        r.csat
    from by_sku as r
    left join catalog as c on r.sku = c.sku
)

select * from final
order by mean_rating asc, reviews desc, sku asc
