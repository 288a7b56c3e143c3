with source as (
    select * from {{ source('social', 'social_attachments') }}
),

renamed as (
    select
        cast(attachment_id as bigint) as attachment_id,
        cast(media_id as bigint) as media_id,
        cast(post_id as bigint) as post_id,
        cast(comment_id as bigint) as comment_id
    from source
)

select * from renamed
