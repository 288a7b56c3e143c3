{# The versions of each user's badge (multi-active by badge). #}
{{ vitrina.vault_sat('stg_social__user_badges', 'user_hk', ['user_id'], ['awarded_at'], children=['badge']) }}
