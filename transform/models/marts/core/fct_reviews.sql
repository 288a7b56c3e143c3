{# One row per review. #}
with reviews as (
    select * from {{ ref('stg_shop__reviews') }}
),

final as (
    select
        review_id,
        user_id,
        product_id,
        rating,
        review_text,
        reviewed_at,
        cast(reviewed_at as date) as review_date_day
    from reviews
)

select * from final
