-- every (user, product) pair the user has ordered, whatever the order status
with orders as (
    select order_id, user_id from {clean}.orders
),

lines as (
    select order_id, product_id from {clean}.order_details
),

final as (
    select distinct
        cast(orders.user_id as bigint) as user_id,
        cast(lines.product_id as bigint) as product_id
    from orders
    inner join lines on lines.order_id = orders.order_id
)

select * from final
