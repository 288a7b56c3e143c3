{# One row per post pinned in a community. #}
{{ vitrina.vault_link('stg_social__pinned_posts', 'link_pinned_post_hk', {'community_hk': ['community_id'], 'post_hk': ['post_id']}) }}
