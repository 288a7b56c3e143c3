{# The versions of each view event (view_id) of a post by a user. #}
{{ vitrina.vault_sat('stg_social__views', 'link_view_hk', ['post_id', 'user_id', 'view_id'], ['viewed_at']) }}
