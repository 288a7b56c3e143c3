with source as (
    select * from {{ source('shop', 'products') }}
),

renamed as (
    select
        cast(product_id as bigint) as product_id,
        name as product_name,
        description,
        cast(category_id as bigint) as category_id,
        cast(price as decimal(12, 2)) as price,
        cast(stock_quantity as bigint) as stock_quantity,
        cast(creation_date as timestamp) as created_at
    from source
)

select * from renamed
