{# The versions of each topic. #}
{{ vitrina.vault_sat('stg_social__topics', 'topic_hk', ['topic_id'], ['name']) }}
