{# The versions of each post, story or reel. #}
{{ vitrina.vault_sat('stg_social__posts', 'post_hk', ['post_id'], ['kind', 'text', 'created_at']) }}
