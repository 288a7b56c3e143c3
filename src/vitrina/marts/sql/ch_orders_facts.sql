-- one row per ordered product, every order whatever its status
create table {table} (
    product_id Int64,
    order_count Int64,
    total_units Int64,
    revenue Decimal(18, 2),
    avg_unit_price Nullable(Decimal(18, 2)),
    product_name Nullable(String),
    category_id Nullable(Int64),
    category_name Nullable(String),
    parent_category_name Nullable(String)
) engine = MergeTree order by product_id
