with source as (
    select * from {{ source('social', 'social_views') }}
),

renamed as (
    select
        cast(view_id as bigint) as view_id,
        cast(post_id as bigint) as post_id,
        cast(user_id as bigint) as user_id,
        cast(viewed_at as timestamp) as viewed_at
    from source
)

select * from renamed
