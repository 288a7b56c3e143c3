with source as (
    select * from {{ source('shop', 'categories') }}
),

renamed as (
    select
        cast(category_id as bigint) as category_id,
        name as category_name,
        cast(parent_category_id as bigint) as parent_category_id
    from source
)

select * from renamed
