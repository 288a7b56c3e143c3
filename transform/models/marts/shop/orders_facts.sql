{#
  One row per ordered product: every order counts, whatever its status.
  avg_unit_price = revenue / total_units, rounded half up to 2 decimals.
#}
with lines as (
    select * from {{ ref('fct_order_lines') }}
),

per_product as (
    select
        product_id,
        count(distinct order_id) as order_count,
        sum(quantity) as total_units,
        sum(total_price) as revenue
    from lines
    group by product_id
),

final as (
    select
        product_id,
        order_count,
        cast(total_units as bigint) as total_units,
        cast(revenue as decimal(18, 2)) as revenue,
        {{ vitrina.round_div_2dp('revenue', 'total_units') }} as avg_unit_price
    from per_product
)

select * from final
