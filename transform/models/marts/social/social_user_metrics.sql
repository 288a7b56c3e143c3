{# One row per user: ties, the graph job's PageRank and reach, and shares of their posts by
   other users (a self-share is not counted). #}
with users as (
    select user_id, username from {{ ref('dim_social_users') }}
),

friend_pairs as (
    select distinct user_id, friend_id from {{ ref('stg_social__friendships') }}
),

friend_ends as (
    select user_id from friend_pairs
    union all
    select friend_id from friend_pairs
),

friends as (
    select user_id, count(*) as n from friend_ends group by 1
),

follow_pairs as (
    select distinct follower_id, followee_id from {{ ref('stg_social__follows') }}
),

followers as (
    select followee_id as user_id, count(*) as n from follow_pairs group by 1
),

following as (
    select follower_id as user_id, count(*) as n from follow_pairs group by 1
),

shared as (
    -- self-shares are already left out per post
    select user_id, sum(reposts) as reposts, sum(quotes) as quotes
    from {{ ref('social_post_virality') }}
    group by 1
),

graph as (
    select * from {{ source('graph', 'user_metrics') }}
),

final as (
    select
        u.user_id,
        u.username,
        coalesce(fr.n, 0) as friends,
        coalesce(fo.n, 0) as followers,
        coalesce(fg.n, 0) as following,
        cast(round(cast(g.pagerank as numeric(38, 15)), 9) as double precision) as pagerank,
        coalesce(g.reach_1, 0) as reach_1,
        coalesce(g.reach_2, 0) as reach_2,
        coalesce(g.reach_3, 0) as reach_3,
        coalesce(sh.reposts, 0) as reposts,
        coalesce(sh.quotes, 0) as quotes
    from users as u
    left join friends as fr on fr.user_id = u.user_id
    left join followers as fo on fo.user_id = u.user_id
    left join following as fg on fg.user_id = u.user_id
    left join graph as g on g.user_id = u.user_id
    left join shared as sh on sh.user_id = u.user_id
)

select * from final
