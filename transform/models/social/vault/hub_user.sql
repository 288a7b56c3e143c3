{# One row per user (user_id). #}
{{ vitrina.vault_hub('stg_social__users', 'user_hk', 'user_id') }}
