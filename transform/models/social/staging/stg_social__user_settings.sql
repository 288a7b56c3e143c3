with source as (
    select * from {{ source('social', 'social_user_settings') }}
),

renamed as (
    select
        cast(user_id as bigint) as user_id,
        language,
        cast(notifications_enabled as boolean) as notifications_enabled
    from source
)

select * from renamed
