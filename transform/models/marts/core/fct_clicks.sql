{# One row per click event (every event type). #}
with clicks as (
    select * from {{ ref('stg_clickstream__clicks') }}
),

final as (
    select
        event_id,
        user_id,
        session_id,
        product_id,
        event_type,
        event_at,
        cast(event_at as date) as event_date_day,
        device
    from clicks
)

select * from final
