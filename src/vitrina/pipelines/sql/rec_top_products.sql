-- top products: click_weight x clicks in the latest closed window + units_weight x units
-- ordered; only a positive score ranks; ties by product_id (decimals: equal scores are equal)
with scored as (
    select
        products.product_id,
        cast(coalesce(windows.clicks, 0) as bigint) as clicks_5m,
        products.units_ordered,
        cast(
            cast($click_weight as decimal(18, 6)) * coalesce(windows.clicks, 0)
            + cast($units_weight as decimal(18, 6)) * products.units_ordered
        as decimal(18, 4)) as score
    from products
    left join latest_window as windows on windows.product_id = products.product_id
),

ranked as (
    select
        row_number() over (order by score desc, product_id asc) as rank,
        product_id,
        cast(score as double) as score,
        clicks_5m,
        units_ordered
    from scored
    where score > 0
),

final as (
    select * from ranked where rank <= $top_n
)

select * from final order by rank
