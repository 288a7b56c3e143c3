with source as (
    select * from {{ source('shop', 'order_details') }}
),

renamed as (
    select
        cast(order_detail_id as bigint) as order_line_id,
        cast(order_id as bigint) as order_id,
        cast(product_id as bigint) as product_id,
        cast(quantity as bigint) as quantity,
        cast(price_per_unit as decimal(12, 2)) as price_per_unit,
        cast(total_price as decimal(12, 2)) as total_price
    from source
)

select * from renamed
