-- every record after the first of its key in arrival order: the duplicates the run drops
-- (only their _seq, so the set stays small whatever the width of a record); the keys that
-- repeat are found by hashing, not by sorting every staged row
create table {new} as
select s._seq
from {stage} as s
join (
  select {keys}, min(_seq) as first_seq
  from {stage}
  group by {keys}
  having count(*) > 1
) as d on {match}
where s._seq <> d.first_seq
