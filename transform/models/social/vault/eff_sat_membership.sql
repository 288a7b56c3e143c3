{# The periods of a membership: one row per join (joined_at) and each change of its left_at. #}
{{ vitrina.vault_sat('stg_social__community_members', 'link_membership_hk', ['community_id', 'user_id'], ['left_at'], children=['joined_at']) }}
