-- one row per product: its name and category path, for joins inside the marts store
create table {table} (
    product_id Int64,
    product_name Nullable(String),
    category_id Nullable(Int64),
    category_name Nullable(String),
    parent_category_name Nullable(String)
) engine = MergeTree order by product_id
