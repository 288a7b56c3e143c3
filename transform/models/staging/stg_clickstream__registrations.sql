with source as (
    select * from {{ source('clickstream', 'registrations') }}
),

renamed as (
    select
        event_id,
        cast(user_id as bigint) as user_id,
        first_name,
        last_name,
        email,
        phone,
        cast(registration_date as timestamp) as registered_at,
        loyalty_status,
        cast(ts as timestamp) as event_at
    from source
)

select * from renamed
