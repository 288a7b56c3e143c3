-- snapshot entities: the new snapshot replaces the table (same transaction as the insert)
delete from {target}
