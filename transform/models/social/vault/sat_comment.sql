{# The versions of each comment. #}
{{ vitrina.vault_sat('stg_social__comments', 'comment_hk', ['comment_id'], ['text', 'created_at']) }}
