-- one row per product: clicks in the last hour and day as of the end of the data
create table {table} (
    product_id Int64,
    clicks_1h Int64,
    clicks_24h Int64,
    rank_1h Int64,
    rank_24h Int64,
    product_name Nullable(String),
    category_id Nullable(Int64),
    category_name Nullable(String),
    parent_category_name Nullable(String)
) engine = MergeTree order by product_id
