{# "The end of the data" T: the latest timestamp of any social record, and t0, midnight at the
   start of the first of the last 7 days (the 7 days ending with T's day). One row. #}
with stamps as (
    select max(created_at) as ts from {{ ref('dim_social_users') }}
    union all
    select max(created_at) from {{ ref('dim_social_communities') }}
    union all
    select max(created_at) from {{ ref('fct_social_posts') }}
    union all
    select max(created_at) from {{ ref('fct_social_comments') }}
    union all
    select max(created_at) from {{ ref('fct_social_reactions') }}
    union all
    select max(created_at) from {{ ref('fct_social_shares') }}
    union all
    select max(viewed_at) from {{ ref('fct_social_views') }}
    union all
    select max(joined_at) from {{ ref('fct_social_memberships') }}
    union all
    select max(left_at) from {{ ref('fct_social_memberships') }}
    union all
    select max(created_at) from {{ ref('stg_social__friendships') }}
    union all
    select max(created_at) from {{ ref('stg_social__follows') }}
    union all
    select max(since) from {{ ref('stg_social__community_moderators') }}
    union all
    select max(created_at) from {{ ref('stg_social__complaints') }}
),

final as (
    select
        max(ts) as end_ts,
        cast(cast(max(ts) as date) - 6 as timestamp) as window_start_ts
    from stamps
)

select * from final
