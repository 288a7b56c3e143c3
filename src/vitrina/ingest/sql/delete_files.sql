-- event entities: forget the raw rows of the files being re-read
delete from {target}
where _file in (select _file from {files})
