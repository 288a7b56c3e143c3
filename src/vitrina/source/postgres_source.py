"""The OLTP source in PostgreSQL (stack profile)."""

from __future__ import annotations

import pyarrow as pa

from vitrina.backends import register
from vitrina.errors import BackendError
from vitrina.source import ENTITY_TABLES, schema_sql
from vitrina.source.duckdb_source import _check

__all__ = ["PostgresSource"]


@register("source", "postgresql", "postgres", extra="postgres")
class PostgresSource:
    """Tables are replaced inside one transaction (TRUNCATE + COPY), so readers never see a mix."""

    def __init__(self, url: str) -> None:
        import psycopg  # optional extra: vitrina[postgres]

        try:
            self.con = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))
        except psycopg.Error as exc:
            raise BackendError(f"cannot connect to the PostgreSQL source: {exc}") from exc
        with self.con.transaction():
            self.con.execute(schema_sql())
            for name in ENTITY_TABLES:  # keys an earlier version made (see ``schema_sql``)
                self.con.execute(f"alter table {name} drop constraint if exists {name}_pkey")

    def replace_tables(self, tables: dict[str, pa.Table]) -> None:
        with self.con.transaction(), self.con.cursor() as cur:
            for name, table in tables.items():
                _check(name)
                cur.execute(f"truncate {name}")
                cols = ", ".join(table.column_names)
                with cur.copy(f"copy {name} ({cols}) from stdin") as copy:
                    for batch in table.to_batches(max_chunksize=50_000):
                        for row in zip(*(c.to_pylist() for c in batch.columns), strict=True):
                            copy.write_row(row)

    def read_table(self, name: str) -> pa.Table:
        _check(name)
        with self.con.cursor() as cur:
            cur.execute(f"select * from {name} order by 1")
            names = [d.name for d in cur.description or []]
            rows = cur.fetchall()
        return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})

    def close(self) -> None:
        self.con.close()
