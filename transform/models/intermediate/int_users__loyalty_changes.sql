{#
  One row per change of a user's loyalty status, from registration events and from the
  statuses observed in the OLTP snapshots at each ingest; repeats of the same status are
  dropped. At equal times a registration event sorts before a snapshot observation.
#}
with registrations as (
    select * from {{ ref('stg_clickstream__registrations') }}
),

observations as (
    select * from {{ ref('stg_shop__user_status_observations') }}
),

statuses as (
    select user_id, loyalty_status, event_at as changed_at, 1 as source_rank
    from registrations
    union all
    select user_id, loyalty_status, observed_at as changed_at, 2 as source_rank
    from observations
),

sequenced as (
    select
        user_id,
        loyalty_status,
        changed_at,
        lag(loyalty_status) over (
            partition by user_id order by changed_at, source_rank
        ) as previous_status,
        row_number() over (
            partition by user_id order by changed_at, source_rank
        ) as status_seq
    from statuses
),

final as (
    select
        user_id,
        loyalty_status,
        changed_at,
        status_seq
    from sequenced
    where previous_status is null or previous_status <> loyalty_status
)

select * from final
