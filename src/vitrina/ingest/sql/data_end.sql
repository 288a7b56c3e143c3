-- the newest moment the clean layer knows: snapshots are taken as of this time
select max(moment_at) as data_end
from (
  select max(ts) as moment_at from clean.clicks
  union all select max(ts) from clean.registrations
  union all select max(order_date) from clean.orders
  union all select max(registration_date) from clean.users
  union all select max(created_at) from clean.reviews
  union all select max(created_at) from clean.loyalty_points
) as moments
