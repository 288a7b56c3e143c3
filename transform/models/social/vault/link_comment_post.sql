{# One row per comment, the post it is on and its author. #}
{{ vitrina.vault_link('stg_social__comments', 'link_comment_post_hk', {'comment_hk': ['comment_id'], 'post_hk': ['post_id'], 'user_hk': ['user_id']}) }}
