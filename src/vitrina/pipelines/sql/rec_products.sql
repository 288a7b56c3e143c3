-- every product with its category and the units ordered before the interval's end
with products as (
    select product_id, category_id from {clean}.products
),

orders as (
    select order_id, user_id
    from {clean}.orders
    where order_date < cast('{end}' as timestamptz)
),

units as (
    select lines.product_id, sum(lines.quantity) as units_ordered
    from {clean}.order_details as lines
    inner join orders on orders.order_id = lines.order_id
    group by lines.product_id
),

final as (
    select
        cast(products.product_id as bigint) as product_id,
        cast(products.category_id as bigint) as category_id,
        cast(coalesce(units.units_ordered, 0) as bigint) as units_ordered
    from products
    left join units on units.product_id = products.product_id
)

select * from final
