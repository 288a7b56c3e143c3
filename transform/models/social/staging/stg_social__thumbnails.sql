with source as (
    select * from {{ source('social', 'social_thumbnails') }}
),

renamed as (
    select
        cast(thumbnail_id as bigint) as thumbnail_id,
        cast(media_id as bigint) as media_id,
        cast(width as bigint) as width,
        cast(height as bigint) as height
    from source
)

select * from renamed
