-- events whose key is not in the clean table yet (the first delivery wins)
select count(*) as n
from {stage} as s
where not exists (select 1 from {target} as t where t.{key} = s.{key})
