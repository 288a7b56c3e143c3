{# One row per user who joined a community (periods in eff_sat_membership). #}
{{ vitrina.vault_link('stg_social__community_members', 'link_membership_hk', {'community_hk': ['community_id'], 'user_hk': ['user_id']}) }}
