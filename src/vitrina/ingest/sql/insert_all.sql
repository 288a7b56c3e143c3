insert into {target} ({columns})
select {columns} from {stage}
