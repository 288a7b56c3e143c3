{# One row per community or group, with its owner and topic. #}
with communities as {{ vitrina.vault_rows('link_community', {
    'community_hk': ['hub_community', 'community_id', 'community_id'],
    'owner_hk': ['hub_user', 'user_id', 'owner_id'],
    'topic_hk': ['hub_topic', 'topic_id', 'topic_id'],
}, 'sat_community', 'community_hk', ['name', 'kind', 'created_at'], keys=['community_hk']) }},

latest as (
    select
        communities.*,
        row_number() over (partition by community_id order by load_ts desc) as version_rank
    from communities
),

final as (
    select community_id, name, kind, topic_id, owner_id, created_at
    from latest
    where version_rank = 1
)

select * from final
