-- how often each user clicked products of each category before the interval's end
with clicks as (
    select user_id, product_id
    from {clean}.clicks
    where event_type = 'click' and ts < cast('{end}' as timestamptz)
),

final as (
    select
        cast(clicks.user_id as bigint) as user_id,
        cast(products.category_id as bigint) as category_id,
        cast(count(*) as bigint) as clicks
    from clicks
    inner join {clean}.products as products on products.product_id = clicks.product_id
    group by clicks.user_id, products.category_id
)

select * from final
