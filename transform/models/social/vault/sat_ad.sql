{# The versions of each ad. #}
{{ vitrina.vault_sat('stg_social__ads', 'ad_hk', ['ad_id'], ['name', 'budget', 'created_at']) }}
