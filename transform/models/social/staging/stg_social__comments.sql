with source as (
    select * from {{ source('social', 'social_comments') }}
),

renamed as (
    select
        cast(comment_id as bigint) as comment_id,
        cast(post_id as bigint) as post_id,
        cast(user_id as bigint) as user_id,
        cast(parent_comment_id as bigint) as parent_comment_id,
        text,
        cast(created_at as timestamp) as created_at
    from source
)

select * from renamed
