-- add the new quarantine rows; rows already there keep their first ingested_at
insert into {target} (entity, origin, origin_file, payload, reasons, ingested_at)
select s.entity, s.origin, s.origin_file, s.payload, s.reasons, s.ingested_at
from {stage} as s
where not exists (
  select 1 from {target} as q
  where q.entity = s.entity
    and q.origin = s.origin
    and q.payload = s.payload
    and q.reasons = s.reasons
)
