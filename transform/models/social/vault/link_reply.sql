{# One row per reply and the comment it answers. #}
{{ vitrina.vault_link('stg_social__comments', 'link_reply_hk', {'comment_hk': ['comment_id'], 'parent_comment_hk': ['parent_comment_id']}, required=['parent_comment_id']) }}
