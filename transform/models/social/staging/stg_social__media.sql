with source as (
    select * from {{ source('social', 'social_media') }}
),

renamed as (
    select
        cast(media_id as bigint) as media_id,
        cast(user_id as bigint) as user_id,
        kind,
        cast(album_id as bigint) as album_id,
        cast(width as bigint) as width,
        cast(height as bigint) as height,
        cast(duration_s as bigint) as duration_s,
        cast(size_bytes as bigint) as size_bytes,
        cast(created_at as timestamp) as created_at
    from source
)

select * from renamed
