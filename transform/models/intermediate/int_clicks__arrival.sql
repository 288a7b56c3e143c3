{#
  One row per arrival of a click event that passes the record-level contract (duplicates
  included: the stream engine sees them too), with the stream's watermark as it stood when
  the event arrived. Arrival order = event-log file name (files sort in time order), then
  line. The watermark
  before event i is max(ts of events 0..i-1) - lateness over every event type (views move it
  too), exactly as the stream engine judges it (docs/architecture.md, "Windows").
#}
with clicks as (
    select * from {{ ref('stg_clickstream__click_arrivals') }}
),

timed as (
    select
        event_id,
        product_id,
        event_type,
        event_at,
        {{ vitrina.epoch_ms('event_at') }} as event_ms,
        arrival_file,
        arrival_line
    from clicks
),

final as (
    select
        event_id,
        product_id,
        event_type,
        event_at,
        event_ms,
        arrival_file,
        arrival_line,
        max(event_ms) over (
            order by arrival_file, arrival_line
            rows between unbounded preceding and 1 preceding
        ) - {{ var('lateness_ms') }} as watermark_before_ms
    from timed
)

select * from final
