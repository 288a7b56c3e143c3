{# One row per follow. #}
{{ vitrina.vault_link('stg_social__follows', 'link_follow_hk', {'follower_hk': ['follower_id'], 'followee_hk': ['followee_id']}) }}
