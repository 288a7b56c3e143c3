-- Kafka reads: forget the click arrivals of exactly the records being re-read
delete from {target} as t
where exists (
  select 1 from {stage} as s
  where s.arrival_file = t.arrival_file and s.arrival_line = t.arrival_line
)
