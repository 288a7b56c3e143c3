with source as (
    select * from {{ source('shop', 'reviews') }}
),

renamed as (
    select
        cast(review_id as bigint) as review_id,
        cast(user_id as bigint) as user_id,
        cast(product_id as bigint) as product_id,
        cast(rating as integer) as rating,
        review_text,
        cast(created_at as timestamp) as reviewed_at
    from source
)

select * from renamed
