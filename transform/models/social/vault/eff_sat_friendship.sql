{# The periods in which each friendship (user_id < friend_id) holds. #}
{{ vitrina.vault_effectivity('stg_social__friendships', 'link_friendship_hk', ['user_id', 'friend_id']) }}
