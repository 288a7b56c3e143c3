with source as (
    select * from {{ source('social', 'social_users') }}
),

renamed as (
    select
        cast(user_id as bigint) as user_id,
        username,
        email,
        country,
        cast(created_at as timestamp) as created_at
    from source
)

select * from renamed
