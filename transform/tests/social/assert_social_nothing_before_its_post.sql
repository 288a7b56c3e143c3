{# Nothing happens to a post before it was created (SOCIAL.md); fails with every event that does. #}
{{ config(tags=['social']) }}
with events as (
    select 'comment' as event_kind, comment_id as event_id, post_id, created_at as event_at
    from {{ ref('fct_social_comments') }}
    union all
    select 'reaction', reaction_id, post_id, created_at from {{ ref('fct_social_reactions') }}
    union all
    select 'share', share_id, post_id, created_at from {{ ref('fct_social_shares') }}
    union all
    select 'view', view_id, post_id, viewed_at from {{ ref('fct_social_views') }}
)

select events.*, posts.created_at as post_created_at
from events
inner join {{ ref('fct_social_posts') }} as posts on posts.post_id = events.post_id
where events.event_at < posts.created_at
