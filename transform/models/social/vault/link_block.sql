{# One row per block. #}
{{ vitrina.vault_link('stg_social__blocks', 'link_block_hk', {'user_hk': ['user_id'], 'blocked_user_hk': ['blocked_user_id']}) }}
