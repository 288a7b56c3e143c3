select
    cast(product_id as bigint) as product_id,
    name,
    cast(rating as decimal(5, 2)) as rating,
    cast(review_count as bigint) as review_count
from {marts}.mart_product_rating
