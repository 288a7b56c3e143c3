with windows as (
    -- final: a window the stream job replayed is counted once (ReplacingMergeTree)
    select product_id, window_start, window_end, clicks
    from product_clicks final
),

final as (
    select
        windows.product_id as product_id,
        windows.window_start as window_start,
        windows.window_end as window_end,
        windows.clicks as clicks,
        dim_products.product_name as product_name,
        dim_products.category_id as category_id,
        dim_products.category_name as category_name,
        dim_products.parent_category_name as parent_category_name
    from windows
    left join dim_products on dim_products.product_id = windows.product_id
)

select * from final
