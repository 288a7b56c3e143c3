select
    status,
    loyalty_status,
    cast(average_check as decimal(18, 2)) as average_check,
    cast(order_count as bigint) as order_count
from {marts}.mart_average_check
