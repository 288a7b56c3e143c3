{# The versions of each user's settings. #}
{{ vitrina.vault_sat('stg_social__user_settings', 'user_hk', ['user_id'], ['language', 'notifications_enabled']) }}
