with source as (
    select * from {{ source('social', 'social_user_profiles') }}
),

renamed as (
    select
        cast(user_id as bigint) as user_id,
        display_name,
        bio,
        cast(birth_date as timestamp) as birth_date,
        city
    from source
)

select * from renamed
