{# One row per community, its owner and its topic. #}
{{ vitrina.vault_link('stg_social__communities', 'link_community_hk', {'community_hk': ['community_id'], 'owner_hk': ['owner_id'], 'topic_hk': ['topic_id']}) }}
