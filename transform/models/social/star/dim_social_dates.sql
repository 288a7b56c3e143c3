{# One row per calendar day from the first to the last day any social fact touches. #}
with moments as (
    select created_at as moment_at from {{ ref('fct_social_posts') }}
    union all select created_at from {{ ref('fct_social_comments') }}
    union all select created_at from {{ ref('fct_social_reactions') }}
    union all select created_at from {{ ref('fct_social_shares') }}
    union all select viewed_at from {{ ref('fct_social_views') }}
    union all select joined_at from {{ ref('fct_social_memberships') }}
    union all select event_at from {{ ref('fct_social_ad_events') }}
    union all select paid_at from {{ ref('fct_social_payments') }}
),

bounds as (
    select cast(min(moment_at) as date) as first_day, cast(max(moment_at) as date) as last_day
    from moments
),

days as (
    select cast({{ vitrina.day_series('first_day', 'last_day') }} as date) as date_day
    from bounds
    where first_day is not null
),

final as (
    select
        date_day,
        {{ vitrina.date_attributes('date_day') }}
    from days
)

select * from final
