-- every record after the first of its key in arrival order: the duplicates the run drops
-- (only their _seq, so the set stays small whatever the width of a record)
create table {new} as
select _seq
from (
  select _seq, row_number() over (partition by {keys} order by _seq) as arrival_rank
  from {stage}
) as ranked
where arrival_rank > 1
