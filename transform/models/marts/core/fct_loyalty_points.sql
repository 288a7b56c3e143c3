{# One row per loyalty-points credit. #}
with points as (
    select * from {{ ref('stg_shop__loyalty_points') }}
),

final as (
    select
        loyalty_entry_id,
        user_id,
        points,
        reason,
        credited_at,
        cast(credited_at as date) as credit_date_day
    from points
)

select * from final
