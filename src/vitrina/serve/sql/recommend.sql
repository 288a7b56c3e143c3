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

candidates as (
    select
        favourite_categories.user_id,
        popularity.product_id,
        favourite_categories.clicks * popularity.popularity as score
    from favourite_categories
    inner join popularity on popularity.category_id = favourite_categories.category_id
    anti join purchases
        on purchases.user_id = favourite_categories.user_id
        and purchases.product_id = popularity.product_id
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
