{# One row per ad (ad_id). #}
{{ vitrina.vault_hub('stg_social__ads', 'ad_hk', 'ad_id') }}
