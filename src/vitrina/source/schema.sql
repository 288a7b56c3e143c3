-- The OLTP source: one table per shop entity, named and shaped as in the contracts.
-- No CHECK constraints: the source is where bad records come from, ingest catches them.
create table if not exists users (
    user_id bigint primary key,
    first_name varchar,
    last_name varchar,
    email varchar,
    phone varchar,
    registration_date timestamptz,
    loyalty_status varchar
);
create table if not exists categories (
    category_id bigint primary key,
    name varchar,
    parent_category_id bigint
);
create table if not exists products (
    product_id bigint primary key,
    name varchar,
    description varchar,
    category_id bigint,
    price decimal(12, 2),
    stock_quantity bigint,
    creation_date timestamptz
);
create table if not exists orders (
    order_id bigint primary key,
    user_id bigint,
    order_date timestamptz,
    total_amount decimal(12, 2),
    status varchar,
    delivery_date timestamptz
);
create table if not exists order_details (
    order_detail_id bigint primary key,
    order_id bigint,
    product_id bigint,
    quantity bigint,
    price_per_unit decimal(12, 2),
    total_price decimal(12, 2)
);
create table if not exists reviews (
    review_id bigint primary key,
    user_id bigint,
    product_id bigint,
    rating bigint,
    review_text varchar,
    created_at timestamptz
);
create table if not exists loyalty_points (
    loyalty_id bigint primary key,
    user_id bigint,
    points bigint,
    reason varchar,
    created_at timestamptz
);
