{# The versions of each user's status change (multi-active by changed_at). #}
{{ vitrina.vault_sat('stg_social__user_status', 'user_hk', ['user_id'], ['status'], children=['changed_at']) }}
