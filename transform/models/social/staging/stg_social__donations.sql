with source as (
    select * from {{ source('social', 'social_donations') }}
),

renamed as (
    select
        cast(donation_id as bigint) as donation_id,
        cast(from_user_id as bigint) as from_user_id,
        cast(to_user_id as bigint) as to_user_id,
        cast(amount as decimal(12, 2)) as amount,
        cast(created_at as timestamp) as created_at
    from source
)

select * from renamed
