with source as (
    select * from {{ source('social', 'social_albums') }}
),

renamed as (
    select
        cast(album_id as bigint) as album_id,
        cast(user_id as bigint) as user_id,
        title,
        cast(created_at as timestamp) as created_at
    from source
)

select * from renamed
