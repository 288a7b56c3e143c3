{# One row per community or group as of the end of the data T: members and their growth over
   the last 7 days, content of all time, moderators, complaints and recent engagement. #}
with communities as (
    select * from {{ ref('dim_social_communities') }}
),

bounds as (
    select * from {{ ref('social_end_of_data') }}
),

memberships as (
    select * from {{ ref('fct_social_memberships') }}
),

members as (
    select
        m.community_id,
        sum(case when m.joined_at <= b.end_ts and (m.left_at is null or m.left_at > b.end_ts)
            then 1 else 0 end) as members_now,
        sum(case when m.joined_at <= b.window_start_ts
            and (m.left_at is null or m.left_at > b.window_start_ts)
            then 1 else 0 end) as members_then
    from memberships as m
    cross join bounds as b
    group by 1
),

current_members as (
    select distinct m.community_id, m.user_id
    from memberships as m
    cross join bounds as b
    where m.joined_at <= b.end_ts and (m.left_at is null or m.left_at > b.end_ts)
),

posts as (
    select post_id, community_id from {{ ref('fct_social_posts') }} where community_id is not null
),

post_counts as (
    select community_id, count(*) as n from posts group by 1
),

comment_counts as (
    select p.community_id, count(*) as n
    from {{ ref('fct_social_comments') }} as c
    inner join posts as p on p.post_id = c.post_id
    group by 1
),

reaction_counts as (
    select p.community_id, count(*) as n
    from {{ ref('fct_social_reactions') }} as r
    inner join posts as p on p.post_id = r.post_id
    group by 1
),

moderators as (
    select community_id, count(*) as n from {{ ref('stg_social__community_moderators') }} group by 1
),

complaints as (
    select community_id, count(*) as n
    from {{ ref('stg_social__complaints') }}
    where community_id is not null
    group by 1
),

active as (
    select cm.community_id, count(distinct cm.user_id) as n
    from current_members as cm
    inner join {{ ref('social_activity_events') }} as a
        on a.community_id = cm.community_id and a.user_id = cm.user_id
    cross join bounds as b
    where a.ts >= b.window_start_ts and a.ts <= b.end_ts
    group by 1
),

final as (
    select
        c.community_id,
        c.name,
        c.kind,
        t.name as topic,
        coalesce(m.members_now, 0) as members,
        coalesce(m.members_now, 0) - coalesce(m.members_then, 0) as members_growth_7d,
        coalesce(pc.n, 0) as posts,
        coalesce(cc.n, 0) as comments,
        coalesce(rc.n, 0) as reactions,
        coalesce(mo.n, 0) as moderators,
        coalesce(co.n, 0) as complaints,
        coalesce(a.n, 0) as active_members_7d,
        cast(round(
            cast(coalesce(a.n, 0) as numeric(38, 12)) / nullif(m.members_now, 0), 4
        ) as double precision) as engagement_ratio
    from communities as c
    left join {{ ref('dim_social_topics') }} as t on t.topic_id = c.topic_id
    left join members as m on m.community_id = c.community_id
    left join post_counts as pc on pc.community_id = c.community_id
    left join comment_counts as cc on cc.community_id = c.community_id
    left join reaction_counts as rc on rc.community_id = c.community_id
    left join moderators as mo on mo.community_id = c.community_id
    left join complaints as co on co.community_id = c.community_id
    left join active as a on a.community_id = c.community_id
)

select * from final
