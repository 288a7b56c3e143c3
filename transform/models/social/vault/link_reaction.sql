{# One row per reaction (reaction_id) of a user to a post. #}
{{ vitrina.vault_link('stg_social__reactions', 'link_reaction_hk', {'post_hk': ['post_id'], 'user_hk': ['user_id']}, keys=['reaction_id']) }}
