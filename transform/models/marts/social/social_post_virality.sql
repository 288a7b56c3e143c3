{# One row per post: views, reposts and quotes by users other than its author, and the seconds
   from creation to its 1000th view (views ordered by viewed_at, view_id; NULL below 1000). #}
with posts as (
    select * from {{ ref('fct_social_posts') }}
),

views as (
    select
        post_id,
        viewed_at,
        row_number() over (partition by post_id order by viewed_at, view_id) as view_rank
    from {{ ref('fct_social_views') }}
),

view_counts as (
    select post_id, count(*) as n from views group by 1
),

thousandth as (
    select post_id, viewed_at from views where view_rank = 1000
),

shared as (
    select
        s.post_id,
        sum(case when s.kind = 'repost' then 1 else 0 end) as reposts,
        sum(case when s.kind = 'quote' then 1 else 0 end) as quotes
    from {{ ref('fct_social_shares') }} as s
    inner join posts as p on p.post_id = s.post_id
    where s.user_id <> p.user_id
    group by 1
),

final as (
    select
        p.post_id,
        p.user_id,
        p.kind,
        p.created_at,
        coalesce(vc.n, 0) as views,
        coalesce(sh.reposts, 0) as reposts,
        coalesce(sh.quotes, 0) as quotes,
        {{ vitrina.int_div(
            vitrina.epoch_ms('t.viewed_at') ~ ' - ' ~ vitrina.epoch_ms('p.created_at'), '1000'
        ) }} as time_to_1000_views_s
    from posts as p
    left join view_counts as vc on vc.post_id = p.post_id
    left join shared as sh on sh.post_id = p.post_id
    left join thousandth as t on t.post_id = p.post_id
)

select * from final
