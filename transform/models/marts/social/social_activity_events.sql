{# One row per act that makes a user active (SOCIAL.md): a post, comment, reaction or share,
   with the post it concerns and that post's community. Not published; the marts read it. #}
with posts as (
    select * from {{ ref('fct_social_posts') }}
),

acts as (
    select user_id, post_id, created_at as ts from posts
    union all
    select user_id, post_id, created_at from {{ ref('fct_social_comments') }}
    union all
    select user_id, post_id, created_at from {{ ref('fct_social_reactions') }}
    union all
    select user_id, post_id, created_at from {{ ref('fct_social_shares') }}
),

final as (
    select
        acts.user_id,
        acts.post_id,
        posts.community_id,
        acts.ts,
        cast(acts.ts as date) as day
    from acts
    inner join posts on posts.post_id = acts.post_id
)

select * from final
