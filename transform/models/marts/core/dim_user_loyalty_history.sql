{#
  SCD type 2: one row per user and period with one loyalty status. valid_from of a user's
  first version is their registration time (or the first change, when earlier); valid_to is
  the next version's valid_from, NULL for the current version.
#}
with changes as (
    select * from {{ ref('int_users__loyalty_changes') }}
),

users as (
    select * from {{ ref('stg_shop__users') }}
),

versioned as (
    select
        c.user_id,
        c.loyalty_status,
        c.changed_at,
        row_number() over (partition by c.user_id order by c.status_seq) as version,
        lead(c.changed_at) over (partition by c.user_id order by c.status_seq) as next_changed_at,
        u.registered_at
    from changes as c
    inner join users as u on u.user_id = c.user_id
),

final as (
    select
        cast(user_id as varchar) || '-' || cast(version as varchar) as user_version_key,
        user_id,
        version,
        loyalty_status,
        case
            when version = 1 and registered_at < changed_at then registered_at
            else changed_at
        end as valid_from,
        next_changed_at as valid_to,
        next_changed_at is null as is_current
    from versioned
)

select * from final
