{# One row per friendship (user_id < friend_id). #}
{{ vitrina.vault_link('stg_social__friendships', 'link_friendship_hk', {'user_hk': ['user_id'], 'friend_hk': ['friend_id']}) }}
