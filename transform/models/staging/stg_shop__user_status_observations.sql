with source as (
    select * from {{ source('shop', 'user_status_observations') }}
),

renamed as (
    select
        cast(user_id as bigint) as user_id,
        loyalty_status,
        cast(observed_at as timestamp) as observed_at
    from source
)

select * from renamed
