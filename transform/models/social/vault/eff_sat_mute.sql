{# The periods in which each mute holds. #}
{{ vitrina.vault_effectivity('stg_social__mutes', 'link_mute_hk', ['user_id', 'muted_user_id']) }}
