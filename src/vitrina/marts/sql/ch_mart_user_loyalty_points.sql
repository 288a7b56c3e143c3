-- one row per user: loyalty points summed over all history (0 when none)
create table {table} (
    user_id Int64,
    first_name Nullable(String),
    last_name Nullable(String),
    loyalty_status Nullable(String),
    total_loyalty_points Int64
) engine = MergeTree order by user_id
