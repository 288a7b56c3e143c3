{# One row per comment (comment_id). #}
{{ vitrina.vault_hub('stg_social__comments', 'comment_hk', 'comment_id') }}
