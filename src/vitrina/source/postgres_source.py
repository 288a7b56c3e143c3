"""The OLTP source in PostgreSQL (stack profile)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pyarrow as pa

from vitrina.backends import register
from vitrina.contracts.registry import contract_for
from vitrina.errors import BackendError
from vitrina.source import ENTITY_TABLES, contract_columns, read_order, schema_sql
from vitrina.source.duckdb_source import _check, upsert_sql

__all__ = ["PostgresSource", "tracking_sql"]


def tracking_sql() -> str:
    """Triggers keeping ``updated_at`` and the tombstones on every source table.

    The index on ``updated_at`` lets an incremental read cost what changed, not the table.
    """
    sql = [resources.files("vitrina.source").joinpath("sql/pg_tracking.sql").read_text()]
    for t in ENTITY_TABLES:
        keys = ", ".join(f"'{k}'" for k in contract_for(t).key_columns())
        sql.append(
            f"create index if not exists {t}_updated_at on {t} (updated_at);\n"
            f"create or replace trigger {t}_touch before insert or update on {t} "
            "for each row execute function vitrina_touch();\n"
            f"create or replace trigger {t}_tombstone after delete on {t} "
            f"for each row execute function vitrina_tombstone({keys});\n"
            f"create or replace trigger {t}_truncated after truncate on {t} "
            "for each statement execute function vitrina_truncated();\n"
        )
    return "".join(sql)


@register("source", "postgresql", "postgres", extra="postgres")
class PostgresSource:
    """Tables are replaced inside one transaction (TRUNCATE + COPY), so readers never see a mix.

    Triggers set ``updated_at`` and record deletions, whoever writes (see ``tracking_sql``).
    """

    def __init__(self, url: str) -> None:
        import psycopg  # optional extra: vitrina[postgres]

        try:
            # Autocommit: each ``transaction()`` below is a real one, not a savepoint inside
            # the transaction a read left open (whose changes a close would roll back).
            self.con = psycopg.connect(
                url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
            )
        except psycopg.Error as exc:
            raise BackendError(f"cannot connect to the PostgreSQL source: {exc}") from exc
        with self.con.transaction():
            # Two processes creating functions at once fail ("tuple concurrently updated").
            self.con.execute("select pg_advisory_xact_lock(hashtext('vitrina_source_schema'))")
            self.con.execute(schema_sql())
            for name in ENTITY_TABLES:  # keys an earlier version made (see ``schema_sql``)
                self.con.execute(f"alter table {name} drop constraint if exists {name}_pkey")
            self.con.execute(tracking_sql())

    def replace_tables(self, tables: dict[str, pa.Table]) -> None:
        with self.con.transaction(), self.con.cursor() as cur:
            for name, table in tables.items():
                _check(name)
                cur.execute(f"truncate {name}")
                _copy(cur, name, table)

    def apply_changes(self, upserts: dict[str, pa.Table], deletes: dict[str, pa.Table]) -> None:
        """Delete rows by key, then insert or update rows, in one transaction."""
        with self.con.transaction(), self.con.cursor() as cur:
            for name, keys in deletes.items():
                _check(name)
                key_cols = contract_for(name).key_columns()
                cur.execute(
                    f"create temp table _keys on commit drop as "
                    f"select {', '.join(key_cols)} from {name} limit 0"
                )
                _copy(cur, "_keys", keys.select(list(key_cols)))
                on = " and ".join(f"t.{k} = _keys.{k}" for k in key_cols)
                cur.execute(f"delete from {name} t using _keys where {on}")
                cur.execute("drop table _keys")
            for name, table in upserts.items():
                _check(name)
                cur.execute(
                    f"create temp table _incoming on commit drop as "
                    f"select {', '.join(table.column_names)} from {name} limit 0"
                )
                _copy(cur, "_incoming", table)
                for statement in upsert_sql(name, table.column_names, None):
                    cur.execute(statement)
                cur.execute("drop table _incoming")

    def read_table(self, name: str) -> pa.Table:
        _check(name)
        with self.con.cursor() as cur:
            cur.execute(
                f"select {', '.join(contract_columns(name))} from {name} "
                f"order by {read_order(name)}"
            )
            names = [d.name for d in cur.description or []]
            rows = cur.fetchall()
        return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})

    def close(self) -> None:
        self.con.close()


def _copy(cur: Any, name: str, table: pa.Table) -> None:
    cols = ", ".join(table.column_names)
    with cur.copy(f"copy {name} ({cols}) from stdin") as copy:
        for batch in table.to_batches(max_chunksize=50_000):
            for row in zip(*(c.to_pylist() for c in batch.columns), strict=True):
                copy.write_row(row)
