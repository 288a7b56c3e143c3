-- every user with a history has exactly one current version, with the users' current status
with current_versions as (
    select user_id, count(*) as n, max(loyalty_status) as loyalty_status
    from {{ ref('dim_user_loyalty_history') }}
    where is_current
    group by user_id
),

histories as (
    select distinct user_id from {{ ref('dim_user_loyalty_history') }}
)

select h.user_id
from histories as h
left join current_versions as c on c.user_id = h.user_id
left join {{ ref('dim_users') }} as u on u.user_id = h.user_id
where c.n is null or c.n <> 1 or c.loyalty_status <> u.loyalty_status
