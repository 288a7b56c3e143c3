{# One row per complaint (complaint_id) and what it is about (zero key when absent). #}
{{ vitrina.vault_link('stg_social__complaints', 'link_complaint_hk', {'reporter_hk': ['reporter_id'], 'community_hk': ['community_id'], 'post_hk': ['post_id'], 'comment_hk': ['comment_id']}, keys=['complaint_id']) }}
