{# One row: users, mean ties per user (over all users) and the friendship graph's path figures
   (sampled_sources NULL when exact). #}
with users as (
    select count(*) as n from {{ ref('dim_social_users') }}
),

friendships as (
    select count(*) as n from (
        select distinct user_id, friend_id from {{ ref('stg_social__friendships') }}
    ) as pairs
),

follows as (
    select count(*) as n from (
        select distinct follower_id, followee_id from {{ ref('stg_social__follows') }}
    ) as pairs
),

graph as (
    select * from {{ source('graph', 'summary') }}
),

final as (
    select
        users.n as users,
        cast(round(
            cast(2 * friendships.n as numeric(38, 12)) / nullif(users.n, 0), 4
        ) as double precision) as avg_friends,
        cast(round(
            cast(follows.n as numeric(38, 12)) / nullif(users.n, 0), 4
        ) as double precision) as avg_followers,
        cast(round(cast(graph.mean_path_length as numeric(38, 12)), 4) as double precision)
            as mean_path_length,
        coalesce(graph.max_depth, 0) as max_depth,
        graph.sampled_sources
    from users
    cross join friendships
    cross join follows
    left join graph on true
)

select * from final
