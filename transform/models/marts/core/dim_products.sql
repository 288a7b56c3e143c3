{# One row per product with its category and the top-level category above it (two levels). #}
with products as (
    select * from {{ ref('stg_shop__products') }}
),

categories as (
    select * from {{ ref('stg_shop__categories') }}
),

final as (
    select
        p.product_id,
        p.product_name,
        p.description,
        p.price,
        p.stock_quantity,
        p.created_at,
        p.category_id,
        c.category_name,
        c.parent_category_id,
        coalesce(parent.category_id, c.category_id) as top_category_id,
        coalesce(parent.category_name, c.category_name) as top_category_name
    from products as p
    left join categories as c on c.category_id = p.category_id
    left join categories as parent on parent.category_id = c.parent_category_id
)

select * from final
