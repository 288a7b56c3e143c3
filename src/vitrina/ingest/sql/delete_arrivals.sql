-- forget the click arrivals of the files being re-read
delete from {target}
where arrival_file in (select _file from {files})
