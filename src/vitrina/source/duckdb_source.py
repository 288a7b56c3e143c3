"""The OLTP source in a DuckDB file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pyarrow as pa

from vitrina.backends import register
from vitrina.contracts.registry import contract_for
from vitrina.errors import BackendError, UsageError
from vitrina.source import (
    DELETIONS,
    ENTITY_TABLES,
    UPDATED_AT,
    contract_columns,
    read_order,
    schema_sql,
)
from vitrina.warehouse.duckdb_wh import duckdb_engine_config, set_engine_config

__all__ = ["DuckDBSource", "upsert_sql"]


@register("source", "duckdb", local=True)
class DuckDBSource:
    """Tables are replaced inside one transaction: a reader sees the old set or the new one.

    DuckDB has no triggers: this class itself sets ``updated_at`` and writes the tombstones.
    """

    def __init__(self, url: str) -> None:
        path = Path(urlsplit(url).path)
        # The warehouse's bounds (``?memory_limit=``, spilling beside the file): DuckDB's own
        # default, 80 % of the machine, let the large preset's snapshot grow with its size.
        engine = duckdb_engine_config(url, "source")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(path))
            set_engine_config(self.con, engine)
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
                self.con.execute(f"insert into {DELETIONS} (table_name) values (?)", [name])
                self.con.execute(f"delete from {name}")
                self.con.execute(f"insert into {name} ({cols}) select {cols} from _incoming")
                self.con.unregister("_incoming")
            self.con.execute("commit")
        except BaseException:
            self.con.execute("rollback")
            raise

    def apply_changes(self, upserts: dict[str, pa.Table], deletes: dict[str, pa.Table]) -> None:
        """Delete rows by key (tombstones recorded), then insert or update rows, in one go."""
        self.con.execute("begin transaction")
        try:
            for name, keys in deletes.items():
                _check(name)
                key_cols = contract_for(name).key_columns()
                on = " and ".join(f"t.{k} = _keys.{k}" for k in key_cols)
                self.con.register("_keys", keys)
                self.con.execute(
                    f"insert into {DELETIONS} (table_name, key_json) select ?, "
                    f"to_json([{', '.join(f't.{k}' for k in key_cols)}])::varchar "
                    f"from {name} t join _keys on {on}",
                    [name],
                )
                self.con.execute(f"delete from {name} t using _keys where {on}")
                self.con.unregister("_keys")
            for name, table in upserts.items():
                _check(name)
                self.con.register("_incoming", table)
                for statement in upsert_sql(name, table.column_names, "current_timestamp"):
                    self.con.execute(statement)
                self.con.unregister("_incoming")
            self.con.execute("commit")
        except BaseException:
            self.con.execute("rollback")
            raise

    def read_table(self, name: str) -> pa.Table:
        _check(name)
        cols = ", ".join(contract_columns(name))
        return self.con.sql(
            f"select {cols} from {name} order by {read_order(name)}"
        ).to_arrow_table()

    def close(self) -> None:
        self.con.close()


def upsert_sql(name: str, columns: list[str], updated_at: str | None) -> list[str]:
    """Update rows by key, then insert the new ones, from the registered ``_incoming`` rows.

    Two statements rather than ``on conflict``: the source enforces no keys (see
    ``schema_sql``). ``updated_at`` is the SQL expression for the column (None: the
    database sets it, by trigger).
    """
    keys = contract_for(name).key_columns()
    on = " and ".join(f"t.{k} = i.{k}" for k in keys)
    sets = [f"{c} = i.{c}" for c in columns if c not in keys]
    cols = list(columns)
    values = [f"i.{c}" for c in columns]
    if updated_at is not None:
        sets.append(f"{UPDATED_AT} = {updated_at}")
        cols.append(UPDATED_AT)
        values.append(updated_at)
    statements = []
    changed = " or ".join(f"t.{c} is distinct from i.{c}" for c in columns if c not in keys)
    if changed:  # a row equal to what the source holds is left alone (its updated_at too)
        statements.append(
            f"update {name} t set {', '.join(sets)} from _incoming i where {on} and ({changed})"
        )
    statements.append(
        f"insert into {name} ({', '.join(cols)}) select {', '.join(values)} from _incoming i "
        f"where not exists (select 1 from {name} t where {on})"
    )
    return statements


def _check(name: str) -> None:
    if name not in ENTITY_TABLES:
        raise UsageError(f"unknown source table {name!r} (allowed: {', '.join(ENTITY_TABLES)})")
