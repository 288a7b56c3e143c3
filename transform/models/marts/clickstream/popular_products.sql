{#
  One row per product clicked in the 24 hours before the end of the data (validated,
  deduplicated click events). The end of the data is the time of the last click-stream event
  (any type); the periods are (end - 1h, end] and
  (end - 24h, end]. Only event_type = 'click' counts. Ranks: most clicks first, ties by
  product_id ascending (1, 2, 3, ... without gaps).
#}
with events as (
    select * from {{ ref('fct_clicks') }}
),

clicks as (
    select product_id, event_type, {{ vitrina.epoch_ms('event_at') }} as event_ms
    from events
),

end_of_data as (
    select max(event_ms) as end_ms from clicks
),

recent as (
    select
        c.product_id,
        sum(case when c.event_ms > e.end_ms - 3600000 then 1 else 0 end) as clicks_1h,
        count(*) as clicks_24h
    from clicks as c
    cross join end_of_data as e
    where c.event_type = 'click'
      and c.event_ms > e.end_ms - 86400000
      and c.event_ms <= e.end_ms
    group by c.product_id
),

final as (
    select
        product_id,
        cast(clicks_1h as bigint) as clicks_1h,
        cast(clicks_24h as bigint) as clicks_24h,
        row_number() over (order by clicks_1h desc, product_id asc) as rank_1h,
        row_number() over (order by clicks_24h desc, product_id asc) as rank_24h
    from recent
)

select * from final
