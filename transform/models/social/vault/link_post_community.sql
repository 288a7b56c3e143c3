{# One row per post published in a community. #}
{{ vitrina.vault_link('stg_social__posts', 'link_post_community_hk', {'post_hk': ['post_id'], 'community_hk': ['community_id']}, required=['community_id']) }}
