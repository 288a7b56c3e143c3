-- record a user's loyalty status when it differs from the last one observed (SCD2 input);
-- a new observation is always later than the user's previous one
insert into {observations} (user_id, loyalty_status, observed_at)
with latest as (
  select user_id, loyalty_status, observed_at,
         row_number() over (partition by user_id order by observed_at desc) as recency
  from {observations}
),
current_users as (
  select user_id, loyalty_status from {users}
),
changed as (
  select u.user_id, u.loyalty_status, l.observed_at as last_observed_at
  from current_users as u
  left join latest as l on l.user_id = u.user_id and l.recency = 1
  where l.user_id is null or l.loyalty_status <> u.loyalty_status
)
select
  user_id,
  loyalty_status,
  case
    when last_observed_at is not null and last_observed_at >= cast(? as timestamp)
      then last_observed_at + interval '1 millisecond'
    else cast(? as timestamp)
  end
from changed
