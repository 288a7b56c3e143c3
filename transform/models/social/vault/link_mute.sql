{# One row per mute. #}
{{ vitrina.vault_link('stg_social__mutes', 'link_mute_hk', {'user_hk': ['user_id'], 'muted_user_hk': ['muted_user_id']}) }}
