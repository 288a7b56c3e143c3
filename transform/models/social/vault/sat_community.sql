{# The versions of each community or group. #}
{{ vitrina.vault_sat('stg_social__communities', 'community_hk', ['community_id'], ['name', 'kind', 'created_at']) }}
