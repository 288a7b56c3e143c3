{# The versions of each moderator of a community. #}
{{ vitrina.vault_sat('stg_social__community_moderators', 'link_moderation_hk', ['community_id', 'user_id'], ['since']) }}
