{# One row per product: mean rating rounded half up to 2 decimals (NULL without reviews). #}
with products as (
    select * from {{ ref('dim_products') }}
),

reviews as (
    select * from {{ ref('fct_reviews') }}
),

per_product as (
    select
        product_id,
        sum(rating) as rating_sum,
        count(*) as review_count
    from reviews
    group by product_id
),

final as (
    select
        p.product_id,
        p.product_name as name,
        {{ vitrina.round_div_2dp('coalesce(r.rating_sum, 0)', 'coalesce(r.review_count, 0)') }} as rating,
        coalesce(r.review_count, 0) as review_count
    from products as p
    left join per_product as r on r.product_id = p.product_id
)

select * from final
