{# The versions of each user's profile. #}
{{ vitrina.vault_sat('stg_social__user_profiles', 'user_hk', ['user_id'], ['display_name', 'bio', 'birth_date', 'city']) }}
