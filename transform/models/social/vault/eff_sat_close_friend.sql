{# The periods in which each close-friend mark holds. #}
{{ vitrina.vault_effectivity('stg_social__close_friends', 'link_close_friend_hk', ['user_id', 'friend_id']) }}
