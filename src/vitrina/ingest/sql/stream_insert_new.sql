-- add the first arrivals that passed every check and whose key the clean table does not hold
-- (one statement: the clean table's keys are hashed once, as they were before the run)
insert into {target} ({columns})
select {values}
from {stage} as s
where not s._bad
  and not exists (select 1 from {repeats} as r where r._seq = s._seq)
  and not exists (select 1 from {target} as t where {match})
