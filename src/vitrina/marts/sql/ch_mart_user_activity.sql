-- one row per user and order status (status null, zero counts for a user without orders)
create table {table} (
    user_id Int64,
    first_name Nullable(String),
    last_name Nullable(String),
    status Nullable(String),
    order_count Int64,
    total_spent Decimal(18, 2)
) engine = MergeTree order by user_id
