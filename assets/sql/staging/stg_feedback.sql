-- One row per review or survey answer; a feedback_id exported twice keeps the newest
-- export. Reviewer names are dropped and e-mails only survive as the customer key; e-mail
-- addresses and phone numbers a customer typed into a title or comment are masked.
with source as (
    select * from raw.feedback
),

deduplicated as (
    select *
    from source
    qualify row_number() over (
        partition by feedback_id order by _export_date desc, _file desc, _line desc
    ) = 1
),

final as (
    select
        feedback_id,
        submitted_at,
        cast(submitted_at as date) as submitted_date,
        feedback_type,
        order_id,
        sku,
        customer_key(customer_id, reviewer_email) as customer_key,
        rating,
        nps_score,
        mask_contacts(title) as title,
        mask_contacts(body) as body
    from deduplicated
)

select * from final
