{# The versions of each user. #}
{{ vitrina.vault_sat('stg_social__users', 'user_hk', ['user_id'], ['username', 'email', 'country', 'created_at']) }}
