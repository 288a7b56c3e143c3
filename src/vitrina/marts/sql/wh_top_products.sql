select
    cast(rank as bigint) as rank,
    cast(product_id as bigint) as product_id,
    cast(clicks_5m as bigint) as clicks_5m,
    cast(units_ordered as bigint) as units_ordered,
    cast(score as double precision) as score
from {marts}.top_products
