{# One row per post and its author. #}
{{ vitrina.vault_link('stg_social__posts', 'link_authored_hk', {'post_hk': ['post_id'], 'user_hk': ['user_id']}) }}
