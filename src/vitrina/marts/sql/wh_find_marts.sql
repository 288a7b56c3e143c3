-- which schemas hold which of the published dbt marts
select table_schema, table_name
from information_schema.tables
where table_name in ({names})
order by table_schema, table_name
