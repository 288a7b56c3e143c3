with source as (
    select * from {{ source('shop', 'orders') }}
),

renamed as (
    select
        cast(order_id as bigint) as order_id,
        cast(user_id as bigint) as user_id,
        cast(order_date as timestamp) as ordered_at,
        cast(total_amount as decimal(12, 2)) as total_amount,
        status as order_status,
        cast(delivery_date as timestamp) as delivered_at
    from source
)

select * from renamed
