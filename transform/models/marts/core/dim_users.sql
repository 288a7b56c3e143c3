{# One row per user: current attributes (the loyalty history is dim_user_loyalty_history). #}
with users as (
    select * from {{ ref('stg_shop__users') }}
),

final as (
    select
        user_id,
        first_name,
        last_name,
        email,
        phone,
        registered_at,
        cast(registered_at as date) as registration_date_day,
        loyalty_status
    from users
)

select * from final
