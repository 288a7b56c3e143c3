-- one row per order status and loyalty status: average order amount and order count
create table {table} (
    status Nullable(String),
    loyalty_status Nullable(String),
    average_check Nullable(Decimal(18, 2)),
    order_count Int64
) engine = MergeTree order by tuple()
