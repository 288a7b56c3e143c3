{# The versions of each reaction (reaction_id) of a user to a post. #}
{{ vitrina.vault_sat('stg_social__reactions', 'link_reaction_hk', ['post_id', 'user_id', 'reaction_id'], ['kind', 'created_at']) }}
