{# One row per media (media_id). #}
{{ vitrina.vault_hub('stg_social__media', 'media_hk', 'media_id') }}
