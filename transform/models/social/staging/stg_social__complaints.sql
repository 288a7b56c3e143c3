with source as (
    select * from {{ source('social', 'social_complaints') }}
),

renamed as (
    select
        cast(complaint_id as bigint) as complaint_id,
        cast(reporter_id as bigint) as reporter_id,
        cast(community_id as bigint) as community_id,
        cast(post_id as bigint) as post_id,
        cast(comment_id as bigint) as comment_id,
        reason,
        cast(created_at as timestamp) as created_at
    from source
)

select * from renamed
