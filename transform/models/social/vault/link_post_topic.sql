{# One row per post and its topic. #}
{{ vitrina.vault_link('stg_social__posts', 'link_post_topic_hk', {'post_hk': ['post_id'], 'topic_hk': ['topic_id']}, required=['topic_id']) }}
