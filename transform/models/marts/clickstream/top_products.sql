{#
  Top products (docs/architecture.md, pinned): score = click_weight x clicks in the latest closed
  5-minute window + units_weight x units ordered over all order history (every status);
  the top_n products by score, ties by product_id ascending. Only products with a positive
  score are ranked. Weights and top_n are dbt vars fed from the settings (scoring.*); the
  score is computed in decimals so equal scores are equal (0.7 x 3 = 0.3 x 7 exactly).
#}
with products as (
    select * from {{ ref('dim_products') }}
),

window_clicks as (
    select * from {{ ref('int_product_clicks__latest_window') }}
),

lines as (
    select * from {{ ref('fct_order_lines') }}
),

units as (
    select product_id, sum(quantity) as units_ordered
    from lines
    group by product_id
),

scored as (
    select
        p.product_id,
        cast(coalesce(w.clicks, 0) as bigint) as clicks_5m,
        cast(coalesce(u.units_ordered, 0) as bigint) as units_ordered,
        cast(
            cast({{ var('click_weight') }} as decimal(18, 6)) * coalesce(w.clicks, 0)
            + cast({{ var('units_weight') }} as decimal(18, 6)) * coalesce(u.units_ordered, 0)
        as decimal(18, 4)) as score
    from products as p
    left join window_clicks as w on w.product_id = p.product_id
    left join units as u on u.product_id = p.product_id
),

ranked as (
    select
        row_number() over (order by score desc, product_id asc) as rank,
        product_id,
        clicks_5m,
        units_ordered,
        score
    from scored
    where score > 0
),

final as (
    select rank, product_id, clicks_5m, units_ordered, score
    from ranked
    where rank <= {{ var('top_n') }}
)

select * from final
