{# One row per order, with its lines summed and the user's loyalty status when ordering. #}
with orders as (
    select * from {{ ref('stg_shop__orders') }}
),

lines as (
    select * from {{ ref('stg_shop__order_details') }}
),

loyalty as (
    select * from {{ ref('dim_user_loyalty_history') }}
),

line_totals as (
    select
        order_id,
        count(*) as line_count,
        sum(quantity) as units
    from lines
    group by order_id
),

final as (
    select
        o.order_id,
        o.user_id,
        o.ordered_at,
        cast(o.ordered_at as date) as order_date_day,
        o.order_status,
        o.total_amount,
        o.delivered_at,
        l.loyalty_status as loyalty_status_at_order,
        cast(coalesce(t.line_count, 0) as bigint) as line_count,
        cast(coalesce(t.units, 0) as bigint) as units
    from orders as o
    left join line_totals as t on t.order_id = o.order_id
    left join loyalty as l
        on l.user_id = o.user_id
        and l.valid_from <= o.ordered_at
        and (l.valid_to is null or o.ordered_at < l.valid_to)
)

select * from final
