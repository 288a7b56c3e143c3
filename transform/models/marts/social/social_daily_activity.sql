{# One row per UTC day with any social event: volume, interactions per post, DAU and WAU
   (active on any day of d-6..d). Views, follows and joins make a day but not activity. #}
with acts as (
    select * from {{ ref('social_activity_events') }}
),

event_days as (
    select day from acts
    union
    select viewed_date from {{ ref('fct_social_views') }}
    union
    select cast(created_at as date) from {{ ref('stg_social__follows') }}
    union
    select cast(created_at as date) from {{ ref('stg_social__friendships') }}
    union
    select cast(joined_at as date) from {{ ref('fct_social_memberships') }}
    union
    select cast(left_at as date) from {{ ref('fct_social_memberships') }} where left_at is not null
),

posts as (
    select created_date as day, count(*) as n from {{ ref('fct_social_posts') }} group by 1
),

comments as (
    select created_date as day, count(*) as n from {{ ref('fct_social_comments') }} group by 1
),

reactions as (
    select created_date as day, count(*) as n from {{ ref('fct_social_reactions') }} group by 1
),

active as (
    select distinct day, user_id from acts
),

dau as (
    select day, count(*) as n from active group by 1
),

wau as (
    select d.day, count(distinct a.user_id) as n
    from event_days as d
    inner join active as a on a.day between d.day - 6 and d.day
    group by 1
),

final as (
    select
        d.day,
        coalesce(p.n, 0) as posts,
        coalesce(c.n, 0) as comments,
        coalesce(r.n, 0) as reactions,
        cast(round(
            cast(coalesce(c.n, 0) + coalesce(r.n, 0) as numeric(38, 12)) / nullif(p.n, 0), 4
        ) as double precision) as interactions_per_post,
        coalesce(dau.n, 0) as dau,
        coalesce(wau.n, 0) as wau,
        cast(round(
            cast(coalesce(dau.n, 0) as numeric(38, 12)) / nullif(wau.n, 0), 4
        ) as double precision) as dau_wau_ratio
    from event_days as d
    left join posts as p on p.day = d.day
    left join comments as c on c.day = d.day
    left join reactions as r on r.day = d.day
    left join dau on dau.day = d.day
    left join wau on wau.day = d.day
    where d.day is not null
)

select * from final
