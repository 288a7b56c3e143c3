with source as (
    select * from {{ source('social', 'social_mutes') }}
),

renamed as (
    select
        cast(user_id as bigint) as user_id,
        cast(muted_user_id as bigint) as muted_user_id,
        cast(created_at as timestamp) as created_at
    from source
)

select * from renamed
