{# One row per community (community_id). #}
{{ vitrina.vault_hub('stg_social__communities', 'community_hk', 'community_id') }}
