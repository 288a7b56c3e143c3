{# The versions of each post pinned in a community. #}
{{ vitrina.vault_sat('stg_social__pinned_posts', 'link_pinned_post_hk', ['community_id', 'post_id'], ['pinned_at']) }}
