{# One row per media item attached (attachment_id) to a post or a comment (zero key when absent). #}
{{ vitrina.vault_link('stg_social__attachments', 'link_attachment_hk', {'media_hk': ['media_id'], 'post_hk': ['post_id'], 'comment_hk': ['comment_id']}, keys=['attachment_id']) }}
