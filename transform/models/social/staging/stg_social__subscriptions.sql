with source as (
    select * from {{ source('social', 'social_subscriptions') }}
),

renamed as (
    select
        cast(subscriber_id as bigint) as subscriber_id,
        cast(creator_id as bigint) as creator_id,
        tier,
        cast(created_at as timestamp) as created_at
    from source
)

select * from renamed
