{# One row per post, story or reel: its author, community and topic (NULL when none). #}
with posts as {{ vitrina.vault_rows('link_authored', {
    'post_hk': ['hub_post', 'post_id', 'post_id'],
    'user_hk': ['hub_user', 'user_id', 'user_id'],
}, 'sat_post', 'post_hk', ['kind', 'created_at'], keys=['post_hk']) }},

placed as {{ vitrina.vault_rows('link_post_community', {
    'community_hk': ['hub_community', 'community_id', 'community_id'],
}, keys=['post_hk']) }},

topics as {{ vitrina.vault_rows('link_post_topic', {
    'topic_hk': ['hub_topic', 'topic_id', 'topic_id'],
}, keys=['post_hk']) }},

final as (
    select
        posts.post_id,
        posts.user_id,
        placed.community_id,
        topics.topic_id,
        posts.kind,
        posts.created_at,
        cast(posts.created_at as date) as created_date
    from posts
    left join placed on placed.post_hk = posts.post_hk
    left join topics on topics.post_hk = posts.post_hk
)

select * from final
