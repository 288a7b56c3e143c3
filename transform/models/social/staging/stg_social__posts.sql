with source as (
    select * from {{ source('social', 'social_posts') }}
),

renamed as (
    select
        cast(post_id as bigint) as post_id,
        cast(user_id as bigint) as user_id,
        kind,
        cast(community_id as bigint) as community_id,
        cast(topic_id as bigint) as topic_id,
        text,
        cast(created_at as timestamp) as created_at
    from source
)

select * from renamed
