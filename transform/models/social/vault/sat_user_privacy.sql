{# The versions of each user's privacy settings. #}
{{ vitrina.vault_sat('stg_social__user_privacy', 'user_hk', ['user_id'], ['profile_visibility', 'messages_from']) }}
