{# One row per close-friend mark. #}
{{ vitrina.vault_link('stg_social__close_friends', 'link_close_friend_hk', {'user_hk': ['user_id'], 'friend_hk': ['friend_id']}) }}
