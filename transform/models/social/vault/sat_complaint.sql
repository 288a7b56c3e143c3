{# The versions of each complaint (complaint_id) and what it is about (zero key when absent). #}
{{ vitrina.vault_sat('stg_social__complaints', 'link_complaint_hk', ['reporter_id', 'community_id', 'post_id', 'comment_id', 'complaint_id'], ['reason', 'created_at']) }}
