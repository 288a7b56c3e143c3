{# The periods in which each block holds. #}
{{ vitrina.vault_effectivity('stg_social__blocks', 'link_block_hk', ['user_id', 'blocked_user_id']) }}
