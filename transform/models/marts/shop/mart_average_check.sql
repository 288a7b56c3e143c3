{#
  One row per order status and the user's current loyalty status: the mean order total,
  rounded half up to 2 decimals, over every order. (fct_orders also keeps the status at the
  time of the order, loyalty_status_at_order, for analyses that need it.)
#}
with orders as (
    select * from {{ ref('fct_orders') }}
),

users as (
    select * from {{ ref('dim_users') }}
),

per_group as (
    select
        o.order_status,
        u.loyalty_status,
        sum(o.total_amount) as amount_sum,
        count(*) as order_count
    from orders as o
    inner join users as u on u.user_id = o.user_id
    group by o.order_status, u.loyalty_status
),

final as (
    select
        order_status as status,
        loyalty_status,
        {{ vitrina.round_div_2dp('amount_sum', 'order_count') }} as average_check,
        order_count
    from per_group
)

select * from final
