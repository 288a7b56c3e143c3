select
    cast(product_id as bigint) as product_id,
    cast(clicks_1h as bigint) as clicks_1h,
    cast(clicks_24h as bigint) as clicks_24h,
    cast(rank_1h as bigint) as rank_1h,
    cast(rank_24h as bigint) as rank_24h
from {marts}.popular_products
