-- the run's quarantine rows: every record-level one, and those of first arrivals that fail a
-- reference (a later repeat of a key is a duplicate, not a quarantined record)
create table {new} as
select c.entity, c.origin, c.origin_file, c.payload, c.reasons, c.ingested_at
from {candidates} as c
where c._seq is null
   or not exists (select 1 from {repeats} as r where r._seq = c._seq)
