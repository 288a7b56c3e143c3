-- the product attributes every product-keyed mart is denormalised with (one row per product)
with products as (
    select product_id, name, category_id from {clean}.products
),

categories as (
    select category_id, name, parent_category_id from {clean}.categories
),

final as (
    select
        products.product_id,
        products.name as product_name,
        products.category_id,
        categories.name as category_name,
        parents.name as parent_category_name
    from products
    left join categories on categories.category_id = products.category_id
    left join categories as parents on parents.category_id = categories.parent_category_id
)

select * from final
