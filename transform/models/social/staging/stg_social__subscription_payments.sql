with source as (
    select * from {{ source('social', 'social_subscription_payments') }}
),

renamed as (
    select
        cast(payment_id as bigint) as payment_id,
        cast(subscriber_id as bigint) as subscriber_id,
        cast(creator_id as bigint) as creator_id,
        cast(amount as decimal(12, 2)) as amount,
        cast(paid_at as timestamp) as paid_at
    from source
)

select * from renamed
