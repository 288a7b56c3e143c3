-- each product's category with its clicks and units ordered over all history
with products as (
    select product_id, category_id from {clean}.products
),

clicks as (
    select product_id, count(*) as clicks
    from {clean}.clicks
    where event_type = 'click'
    group by product_id
),

units as (
    select product_id, sum(quantity) as units_ordered
    from {clean}.order_details
    group by product_id
),

final as (
    select
        cast(products.product_id as bigint) as product_id,
        cast(products.category_id as bigint) as category_id,
        cast(coalesce(clicks.clicks, 0) as bigint) as clicks,
        cast(coalesce(units.units_ordered, 0) as bigint) as units_ordered
    from products
    left join clicks on clicks.product_id = products.product_id
    left join units on units.product_id = products.product_id
)

select * from final
