{#
  Clicks per product in the latest closed window, as the stream emitted it.
  Hopping windows [m*hop, m*hop + size) are closed once the watermark reaches their end; after
  the last event the watermark is max(ts) - lateness, so the latest closed window ends at
  floor((max(ts) - lateness) / hop) * hop. An event counts in that window only if the window
  was still open when it arrived (watermark_before_ms < window end), like the stream engine.
  One row per product with at least one counted click.
#}
with arrivals as (
    select * from {{ ref('int_clicks__arrival') }}
),

bounds as (
    select
        {{ vitrina.int_div('max(event_ms) - ' ~ var('lateness_ms'), var('window_hop_ms')) }}
            * {{ var('window_hop_ms') }} as window_end_ms
    from arrivals
),

latest_window as (
    select
        window_end_ms - {{ var('window_size_ms') }} as window_start_ms,
        window_end_ms
    from bounds
    where window_end_ms is not null
),

counted as (
    select
        a.product_id,
        w.window_start_ms,
        w.window_end_ms
    from arrivals as a
    cross join latest_window as w
    where a.event_type = 'click'
      and a.event_ms >= w.window_start_ms
      and a.event_ms < w.window_end_ms
      and (a.watermark_before_ms is null or a.watermark_before_ms < w.window_end_ms)
),

final as (
    select
        product_id,
        window_start_ms,
        window_end_ms,
        count(*) as clicks
    from counted
    group by product_id, window_start_ms, window_end_ms
)

select * from final
