with source as (
    select * from {{ source('social', 'social_blocks') }}
),

renamed as (
    select
        cast(user_id as bigint) as user_id,
        cast(blocked_user_id as bigint) as blocked_user_id,
        cast(created_at as timestamp) as created_at
    from source
)

select * from renamed
