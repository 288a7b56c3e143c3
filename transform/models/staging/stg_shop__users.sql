with source as (
    select * from {{ source('shop', 'users') }}
),

renamed as (
    select
        cast(user_id as bigint) as user_id,
        first_name,
        last_name,
        email,
        phone,
        cast(registration_date as timestamp) as registered_at,
        loyalty_status
    from source
)

select * from renamed
