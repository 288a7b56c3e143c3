{# One row per post (post_id). #}
{{ vitrina.vault_hub('stg_social__posts', 'post_hk', 'post_id') }}
