-- one row per product: mean rating to 2 decimals (null without reviews) and review count
create table {table} (
    product_id Int64,
    name Nullable(String),
    rating Nullable(Decimal(5, 2)),
    review_count Int64,
    product_name Nullable(String),
    category_id Nullable(Int64),
    category_name Nullable(String),
    parent_category_name Nullable(String)
) engine = MergeTree order by product_id
