{# One row per calendar day from the earliest to the latest day any fact touches. #}
with orders as (
    select ordered_at as moment_at from {{ ref('stg_shop__orders') }}
),

clicks as (
    select event_at as moment_at from {{ ref('stg_clickstream__clicks') }}
),

reviews as (
    select reviewed_at as moment_at from {{ ref('stg_shop__reviews') }}
),

points as (
    select credited_at as moment_at from {{ ref('stg_shop__loyalty_points') }}
),

users as (
    select registered_at as moment_at from {{ ref('stg_shop__users') }}
),

moments as (
    select moment_at from orders
    union all select moment_at from clicks
    union all select moment_at from reviews
    union all select moment_at from points
    union all select moment_at from users
),

bounds as (
    select cast(min(moment_at) as date) as first_day, cast(max(moment_at) as date) as last_day
    from moments
),

days as (
    select cast({{ vitrina.day_series('first_day', 'last_day') }} as date) as date_day
    from bounds
),

final as (
    select
        date_day,
        {{ vitrina.date_attributes('date_day') }}
    from days
)

select * from final
