-- per-user recommendations: popular products of the categories the user clicks most,
-- never a product the user already bought
with affinity as (
    select
        user_id,
        category_id,
        clicks,
        row_number() over (
            partition by user_id order by clicks desc, category_id asc
        ) as category_rank
    from user_category_clicks
    where clicks > 0
),

favourite_categories as (
    select user_id, category_id, clicks
    from affinity
    where category_rank <= $top_categories
),

popularity as (
    select
        product_id,
        category_id,
        $click_weight * clicks + $units_weight * units_ordered as popularity
    from product_popularity
),

-- each product's place in its category, most popular first
ranked_products as (
    select
        product_id,
        category_id,
        popularity,
        row_number() over (
            partition by category_id order by popularity desc, product_id asc
        ) as popularity_rank
    from popularity
),

bought_per_category as (
    select purchases.user_id, popularity.category_id, count(*) as bought
    from purchases
    inner join popularity on popularity.product_id = purchases.product_id
    group by purchases.user_id, popularity.category_id
),

-- a favourite category's best per_user products the user did not buy are among its
-- per_user + bought most popular ones: only those are scored, not the whole category
depths as (
    select
        favourite_categories.user_id,
        favourite_categories.category_id,
        favourite_categories.clicks,
        $per_user + coalesce(bought_per_category.bought, 0) as depth
    from favourite_categories
    left join bought_per_category
        on bought_per_category.user_id = favourite_categories.user_id
        and bought_per_category.category_id = favourite_categories.category_id
),

depth_levels as (
    select distinct category_id, depth from depths
),

thresholds as (
    select
        depth_levels.category_id,
        depth_levels.depth,
        ranked_products.popularity as threshold
    from depth_levels
    left join ranked_products
        on ranked_products.category_id = depth_levels.category_id
        and ranked_products.popularity_rank = depth_levels.depth
),

-- how far down its category a depth reaches: every product as popular as the one at that
-- depth, within a relative margin far wider than float rounding, so that a product left
-- out scores strictly below `depth` products that are in (ties included exactly)
reaches as (
    select
        thresholds.category_id,
        thresholds.depth,
        count(*) as reach
    from thresholds
    inner join ranked_products on ranked_products.category_id = thresholds.category_id
    where
        thresholds.threshold is null
        or ranked_products.popularity
        >= thresholds.threshold - abs(thresholds.threshold) * 1e-9
    group by thresholds.category_id, thresholds.depth
),

reachable as (
    select
        depths.user_id,
        depths.category_id,
        depths.clicks,
        unnest(range(1, reaches.reach + 1)) as popularity_rank
    from depths
    inner join reaches
        on reaches.category_id = depths.category_id
        and reaches.depth = depths.depth
),

candidates as (
    select
        reachable.user_id,
        ranked_products.product_id,
        reachable.clicks * ranked_products.popularity as score
    from reachable
    inner join ranked_products
        on ranked_products.category_id = reachable.category_id
        and ranked_products.popularity_rank = reachable.popularity_rank
    anti join purchases
        on purchases.user_id = reachable.user_id
        and purchases.product_id = ranked_products.product_id
),

ranked as (
    select
        user_id,
        product_id,
        score,
        row_number() over (
            partition by user_id order by score desc, product_id asc
        ) as rank
    from candidates
),

final as (
    select
        cast(user_id as bigint) as user_id,
        cast(rank as bigint) as rank,
        cast(product_id as bigint) as product_id,
        cast(round(score, 6) as double) as score
    from ranked
    where rank <= $per_user
)

select * from final order by user_id, rank
