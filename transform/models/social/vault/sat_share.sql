{# The versions of each share (share_id) of a post by a user. #}
{{ vitrina.vault_sat('stg_social__shares', 'link_share_hk', ['post_id', 'user_id', 'share_id'], ['kind', 'text', 'created_at']) }}
