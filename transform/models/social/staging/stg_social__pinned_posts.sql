with source as (
    select * from {{ source('social', 'social_pinned_posts') }}
),

renamed as (
    select
        cast(community_id as bigint) as community_id,
        cast(post_id as bigint) as post_id,
        cast(pinned_at as timestamp) as pinned_at
    from source
)

select * from renamed
