with source as (
    select * from {{ source('social', 'social_user_badges') }}
),

renamed as (
    select
        cast(user_id as bigint) as user_id,
        badge,
        cast(awarded_at as timestamp) as awarded_at
    from source
)

select * from renamed
