-- one row per product and closed window of the stream job, with the product's category path
create table {table} (
    product_id Int64,
    window_start DateTime64(3, 'UTC'),
    window_end DateTime64(3, 'UTC'),
    clicks Int64,
    product_name Nullable(String),
    category_id Nullable(Int64),
    category_name Nullable(String),
    parent_category_name Nullable(String)
) engine = MergeTree order by (window_start, product_id)
