{# The periods in which each follow holds. #}
{{ vitrina.vault_effectivity('stg_social__follows', 'link_follow_hk', ['follower_id', 'followee_id']) }}
