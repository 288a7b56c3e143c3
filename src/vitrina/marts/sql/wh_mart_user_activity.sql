select
    cast(user_id as bigint) as user_id,
    first_name,
    last_name,
    status,
    cast(order_count as bigint) as order_count,
    cast(total_spent as decimal(18, 2)) as total_spent
from {marts}.mart_user_activity
