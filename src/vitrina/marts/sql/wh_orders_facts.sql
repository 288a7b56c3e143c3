select
    cast(product_id as bigint) as product_id,
    cast(order_count as bigint) as order_count,
    cast(total_units as bigint) as total_units,
    cast(revenue as decimal(18, 2)) as revenue,
    cast(avg_unit_price as decimal(18, 2)) as avg_unit_price
from {marts}.orders_facts
