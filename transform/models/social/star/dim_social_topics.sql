{# One row per topic. #}
with topics as {{ vitrina.vault_rows('hub_topic', {}, 'sat_topic', 'topic_hk', ['name'], keys=['topic_id']) }},

final as (
    select topic_id, name from topics
)

select * from final
