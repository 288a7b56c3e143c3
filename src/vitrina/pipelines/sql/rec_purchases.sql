-- every (user, product) pair ordered before the interval's end, whatever the order status
with orders as (
    select order_id, user_id
    from {clean}.orders
    where order_date < cast('{end}' as timestamptz)
),

final as (
    select distinct
        cast(orders.user_id as bigint) as user_id,
        cast(lines.product_id as bigint) as product_id
    from orders
    inner join {clean}.order_details as lines on lines.order_id = orders.order_id
)

select * from final
