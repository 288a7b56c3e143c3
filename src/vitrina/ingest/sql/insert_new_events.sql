insert into {target} ({columns})
select {columns}
from {stage} as s
where not exists (select 1 from {target} as t where {key_match})
