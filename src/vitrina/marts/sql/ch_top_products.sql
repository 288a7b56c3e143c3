-- one row per top product: 0.7 x clicks in the latest closed 5-minute window + 0.3 x units
create table {table} (
    rank Int64,
    product_id Int64,
    clicks_5m Int64,
    units_ordered Int64,
    score Float64,
    product_name Nullable(String),
    category_id Nullable(Int64),
    category_name Nullable(String),
    parent_category_name Nullable(String)
) engine = MergeTree order by rank
