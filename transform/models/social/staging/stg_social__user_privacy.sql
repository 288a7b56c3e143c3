with source as (
    select * from {{ source('social', 'social_user_privacy') }}
),

renamed as (
    select
        cast(user_id as bigint) as user_id,
        profile_visibility,
        messages_from
    from source
)

select * from renamed
