{# One row per view event (view_id) of a post by a user. #}
{{ vitrina.vault_link('stg_social__views', 'link_view_hk', {'post_hk': ['post_id'], 'user_hk': ['user_id']}, keys=['view_id']) }}
