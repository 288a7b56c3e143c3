{# One row per order line, with the order's user, time and status. #}
with lines as (
    select * from {{ ref('stg_shop__order_details') }}
),

orders as (
    select * from {{ ref('stg_shop__orders') }}
),

final as (
    select
        l.order_line_id,
        l.order_id,
        l.product_id,
        o.user_id,
        o.ordered_at,
        cast(o.ordered_at as date) as order_date_day,
        o.order_status,
        l.quantity,
        l.price_per_unit,
        l.total_price
    from lines as l
    inner join orders as o on o.order_id = l.order_id
)

select * from final
