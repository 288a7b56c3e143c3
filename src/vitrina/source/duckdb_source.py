"""The OLTP source in a DuckDB file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pyarrow as pa

from vitrina.backends import register
from vitrina.errors import BackendError, UsageError
from vitrina.source import ENTITY_TABLES, schema_sql

__all__ = ["DuckDBSource"]


@register("source", "duckdb", local=True)
class DuckDBSource:
    """Tables are replaced inside one transaction: a reader sees the old set or the new one."""

    def __init__(self, url: str) -> None:
        path = Path(urlsplit(url).path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(path))
        except duckdb.Error as exc:
            raise BackendError(f"cannot open DuckDB source {path}: {exc}") from exc
        self.con.execute(schema_sql())
        self._drop_keys()

    def _drop_keys(self) -> None:
        """Tables an earlier version made with a primary key lose it (see ``schema_sql``).

        DuckDB cannot drop a key constraint, so such a table is copied into a key-less one.
        """
        keyed = self.con.execute(
            "select distinct table_name from duckdb_constraints()"
            " where constraint_type = 'PRIMARY KEY' and schema_name = 'main'"
        ).fetchall()
        for (name,) in keyed:
            if name not in ENTITY_TABLES:
                continue
            self.con.execute("begin transaction")
            self.con.execute(f"create table _unkeyed as select * from {name}")
            self.con.execute(f"drop table {name}")
            self.con.execute(f"alter table _unkeyed rename to {name}")
            self.con.execute("commit")

    def replace_tables(self, tables: dict[str, pa.Table]) -> None:
        self.con.execute("begin transaction")
        try:
            for name, table in tables.items():
                _check(name)
                self.con.register("_incoming", table)
                cols = ", ".join(table.column_names)
                self.con.execute(f"delete from {name}")
                self.con.execute(f"insert into {name} ({cols}) select {cols} from _incoming")
                self.con.unregister("_incoming")
            self.con.execute("commit")
        except BaseException:
            self.con.execute("rollback")
            raise

    def read_table(self, name: str) -> pa.Table:
        _check(name)
        return self.con.sql(f"select * from {name} order by 1").to_arrow_table()

    def close(self) -> None:
        self.con.close()


def _check(name: str) -> None:
    if name not in ENTITY_TABLES:
        raise UsageError(f"unknown source table {name!r} (allowed: {', '.join(ENTITY_TABLES)})")
