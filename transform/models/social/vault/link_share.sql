{# One row per share (share_id) of a post by a user. #}
{{ vitrina.vault_link('stg_social__shares', 'link_share_hk', {'post_hk': ['post_id'], 'user_hk': ['user_id']}, keys=['share_id']) }}
