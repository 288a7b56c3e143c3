{# One row per moderator of a community. #}
{{ vitrina.vault_link('stg_social__community_moderators', 'link_moderation_hk', {'community_hk': ['community_id'], 'user_hk': ['user_id']}) }}
