-- Kafka reads: forget the raw rows of exactly the records being re-read (file = offset block)
delete from {target} as t
where exists (select 1 from {stage} as s where s._file = t._file and s._line = t._line)
