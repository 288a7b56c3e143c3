-- every user appears in mart_user_activity, and its order counts add up to fct_orders
with activity as (
    select user_id, sum(order_count) as orders from {{ ref('mart_user_activity') }} group by user_id
),

orders as (
    select user_id, count(*) as orders from {{ ref('fct_orders') }} group by user_id
),

users as (
    select user_id from {{ ref('dim_users') }}
)

select u.user_id
from users as u
left join activity as a on a.user_id = u.user_id
left join orders as o on o.user_id = u.user_id
where a.user_id is null or a.orders <> coalesce(o.orders, 0)
