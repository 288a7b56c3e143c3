{# One row per topic (topic_id). #}
{{ vitrina.vault_hub('stg_social__topics', 'topic_hk', 'topic_id') }}
