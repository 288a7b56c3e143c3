{#
  One row per user and order status. A user without orders has one row with status NULL,
  order_count 0 and total_spent 0.
#}
with users as (
    select * from {{ ref('dim_users') }}
),

orders as (
    select * from {{ ref('fct_orders') }}
),

per_status as (
    select
        user_id,
        order_status,
        count(*) as order_count,
        sum(total_amount) as total_spent
    from orders
    group by user_id, order_status
),

final as (
    select
        u.user_id,
        u.first_name,
        u.last_name,
        s.order_status as status,
        coalesce(s.order_count, 0) as order_count,
        cast(coalesce(s.total_spent, 0) as decimal(18, 2)) as total_spent
    from users as u
    left join per_status as s on s.user_id = u.user_id
)

select * from final
