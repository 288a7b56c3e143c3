{# One row per user: current loyalty status and all points ever credited (0 when none). #}
with users as (
    select * from {{ ref('dim_users') }}
),

points as (
    select * from {{ ref('fct_loyalty_points') }}
),

per_user as (
    select
        user_id,
        sum(points) as total_points
    from points
    group by user_id
),

final as (
    select
        u.user_id,
        u.first_name,
        u.last_name,
        u.loyalty_status,
        cast(coalesce(p.total_points, 0) as bigint) as total_loyalty_points
    from users as u
    left join per_user as p on p.user_id = u.user_id
)

select * from final
