select
    cast(user_id as bigint) as user_id,
    first_name,
    last_name,
    loyalty_status,
    cast(total_loyalty_points as bigint) as total_loyalty_points
from {marts}.mart_user_loyalty_points
