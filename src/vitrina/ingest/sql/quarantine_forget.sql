-- drop quarantine rows of the re-read scope that the new read no longer produces
delete from {target} as q
where q.entity = ?
  and ({all_files} or q.origin_file in (select _file from {files}))
  and not exists (
    select 1 from {stage} as s
    where s.entity = q.entity
      and s.origin = q.origin
      and s.payload = q.payload
      and s.reasons = q.reasons
  )
