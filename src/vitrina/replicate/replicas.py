"""The replica: MariaDB/MySQL (stack) or DuckDB (local), tables shaped as the source's."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, Final, Protocol
from urllib.parse import unquote, urlsplit

import pyarrow as pa

from vitrina.contracts.registry import contract_for
from vitrina.contracts.spec import KindName
from vitrina.contracts.storage import create_table_sql, field_kinds
from vitrina.errors import BackendError, UsageError
from vitrina.source import UPDATED_AT

__all__ = ["STATE_TABLE", "MySQLReplica", "Replica", "mysql_params", "open_replica"]

# One row per table: its high-water mark, written in the transaction that applies the changes.
STATE_TABLE: Final = "replication_state"
_LOOPBACK: Final = ("127.0.0.1", "localhost", "::1")
_MYSQL_TYPES: Final[dict[KindName, str]] = {
    "int": "bigint",
    "str": "text",
    "enum": "varchar(64)",
    "money": "decimal(12, 2)",
    "timestamp": "datetime(6)",
    "date_or_timestamp": "datetime(6)",
    "bool": "boolean",
}


class Replica(Protocol):
    def high_water(self, table: str) -> datetime | None: ...
    def begin(self) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def clear(self, table: str) -> int: ...
    def delete_keys(self, table: str, keys: Sequence[tuple[Any, ...]]) -> int: ...
    def upsert(self, table: str, batch: pa.RecordBatch) -> int: ...
    def set_high_water(self, table: str, at: datetime) -> None: ...
    def rows(self, table: str) -> Iterator[tuple[Any, ...]]: ...
    def close(self) -> None: ...


def _keys(table: str) -> tuple[str, ...]:
    return contract_for(table).key_columns()


def _columns(table: str) -> list[str]:
    return [*(n for n, _ in field_kinds(table)), UPDATED_AT]


def _naive_utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def mysql_create_sql(table: str) -> str:
    """The replica table in MySQL: key columns of text get a bounded length (index limit)."""
    keys = _keys(table)
    cols = []
    for name, kind in field_kinds(table):
        sql_type = _MYSQL_TYPES[kind]
        if name in keys and sql_type == "text":
            sql_type = "varchar(255)"
        cols.append(f"  {name} {sql_type}{' not null' if name in keys else ''}")
    cols.append(f"  {UPDATED_AT} datetime(6)")
    cols.append(f"  primary key ({', '.join(keys)})")
    return f"create table if not exists {table} (\n" + ",\n".join(cols) + "\n)"


def mysql_params(url: str) -> dict[str, Any]:
    """PyMySQL's connect arguments for a mysql:// URL.

    TLS is off on the loopback, where it protects nothing: PyMySQL otherwise builds a TLS
    context for every connection (0.2 s of CPU loading the system's certificates).
    """
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    return {
        "host": host,
        "ssl_disabled": host in _LOOPBACK,
        "port": parts.port or 3306,
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "database": parts.path.lstrip("/") or "vitrina",
    }


class MySQLReplica:
    """MariaDB/MySQL through PyMySQL; upserts are multi-row ``insert ... on duplicate key``."""

    def __init__(self, url: str) -> None:
        import pymysql  # type: ignore[import-untyped]  # optional extra: vitrina[mysql]

        try:
            self.con = pymysql.connect(
                **mysql_params(url), autocommit=False, charset="utf8mb4", local_infile=True
            )
        except pymysql.Error as exc:
            raise BackendError(f"cannot connect to the MySQL replica: {exc}") from exc
        with self.con.cursor() as cur:
            cur.execute("set time_zone = '+00:00'")
            cur.execute(
                f"create table if not exists {STATE_TABLE} (table_name varchar(128) primary key, "
                "high_water_at datetime(6) not null)"
            )
        self.con.commit()
        self._ready: set[str] = set()

    def _ensure(self, table: str) -> None:
        if table not in self._ready:
            with self.con.cursor() as cur:
                cur.execute(mysql_create_sql(table))
            self._ready.add(table)

    def prepare(self, tables: Sequence[str]) -> None:
        """The tables exist (DDL commits implicitly in MySQL: never inside a data transaction)."""
        for table in tables:
            self._ensure(table)
        self.con.commit()

    def high_water(self, table: str) -> datetime | None:
        self._ensure(table)
        self.con.commit()  # DDL above commits implicitly in MySQL: start the run clean
        with self.con.cursor() as cur:
            cur.execute(f"select high_water_at from {STATE_TABLE} where table_name = %s", [table])
            row = cur.fetchone()
        return None if row is None else row[0].replace(tzinfo=UTC)

    def begin(self) -> None:
        self.con.begin()

    def commit(self) -> None:
        self.con.commit()

    def rollback(self) -> None:
        self.con.rollback()

    def clear(self, table: str) -> int:
        with self.con.cursor() as cur:
            return int(cur.execute(f"delete from {table}"))

    def delete_keys(self, table: str, keys: Sequence[tuple[Any, ...]]) -> int:
        if not keys:
            return 0
        where = " and ".join(f"{k} = %s" for k in _keys(table))
        with self.con.cursor() as cur:
            return int(cur.executemany(f"delete from {table} where {where}", list(keys)) or 0)

    def upsert(self, table: str, batch: pa.RecordBatch) -> int:
        cols = batch.schema.names
        keys = _keys(table)
        sets = ", ".join(f"{c} = values({c})" for c in cols if c not in keys)
        sql = (
            f"insert into {table} ({', '.join(cols)}) values ({', '.join(['%s'] * len(cols))}) "
            f"on duplicate key update {sets}"
        )
        columns = [
            [_naive_utc(v) for v in c.to_pylist()]
            if pa.types.is_timestamp(c.type)
            else c.to_pylist()
            for c in batch.columns
        ]
        with self.con.cursor() as cur:
            cur.executemany(sql, list(zip(*columns, strict=True)))
        return int(batch.num_rows)

    def load_text(self, table: str, path: str) -> bool:
        """Upsert the rows of a COPY text file (fields then updated_at) with LOAD DATA.

        False, with nothing applied, when the server warned about a value (LOAD DATA LOCAL
        turns bad values into warnings, not errors): the caller then inserts the rows itself.
        """
        self._ensure(table)
        with self.con.cursor() as cur:
            cur.execute("savepoint vitrina_load")
            cur.execute(
                f"load data local infile %s replace into table {table} character set utf8mb4 "
                f"({', '.join(_columns(table))})",
                [path],
            )
            cur.execute("show count(*) warnings")
            row = cur.fetchone()
            if row and row[0]:
                cur.execute("rollback to savepoint vitrina_load")
                return False
        return True

    def merge_stage(self, table: str, stage: str) -> int:
        """Upsert every row of the staging table ``stage`` (written by Spark) into ``table``."""
        cols = _columns(table)
        keys = _keys(table)
        sets = ", ".join(f"{c} = values({c})" for c in cols if c not in keys)
        with self.con.cursor() as cur:
            cur.execute(
                f"insert into {table} ({', '.join(cols)}) select {', '.join(cols)} from {stage} "
                f"on duplicate key update {sets}"
            )
            cur.execute(f"select count(*) from {stage}")
            row = cur.fetchone()
        return int(row[0]) if row else 0

    def prepare_stage(self, table: str, stage: str) -> None:
        """An empty staging table shaped like ``table`` (outside the data's transaction)."""
        self._ensure(table)
        with self.con.cursor() as cur:
            cur.execute(f"create table if not exists {stage} like {table}")
            cur.execute(f"truncate table {stage}")
        self.con.commit()

    def set_high_water(self, table: str, at: datetime) -> None:
        with self.con.cursor() as cur:
            cur.execute(
                f"insert into {STATE_TABLE} (table_name, high_water_at) values (%s, %s) "
                "on duplicate key update high_water_at = values(high_water_at)",
                [table, _naive_utc(at)],
            )

    def rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        self._ensure(table)
        with self.con.cursor() as cur:
            cur.execute(f"select {', '.join(_columns(table))} from {table}")
            yield from cur.fetchall()
        self.con.commit()

    def close(self) -> None:
        self.con.close()


class DuckDBReplica:
    """The local replica in a DuckDB file (the same DDL as the DuckDB source)."""

    def __init__(self, url: str) -> None:
        import duckdb

        try:
            self.con = duckdb.connect(urlsplit(url).path)
        except duckdb.Error as exc:
            raise BackendError(f"cannot open the DuckDB replica: {exc}") from exc
        self.con.execute("set timezone = 'UTC'")
        self.con.execute(
            f"create table if not exists {STATE_TABLE} (table_name varchar primary key, "
            "high_water_at timestamptz not null)"
        )
        self._ready: set[str] = set()

    def _ensure(self, table: str) -> None:
        if table not in self._ready:
            self.con.execute(create_table_sql(table, extra=(f"{UPDATED_AT} timestamptz",)))
            self._ready.add(table)

    def high_water(self, table: str) -> datetime | None:
        self._ensure(table)
        row = self.con.execute(
            f"select high_water_at from {STATE_TABLE} where table_name = ?", [table]
        ).fetchone()
        return None if row is None else row[0].astimezone(UTC)

    def begin(self) -> None:
        self.con.execute("begin transaction")

    def commit(self) -> None:
        self.con.execute("commit")

    def rollback(self) -> None:
        self.con.execute("rollback")

    def clear(self, table: str) -> int:
        row = self.con.execute(f"delete from {table}").fetchone()
        return int(row[0]) if row else 0

    def delete_keys(self, table: str, keys: Sequence[tuple[Any, ...]]) -> int:
        if not keys:
            return 0
        names = _keys(table)
        self.con.register("_keys", pa.table({n: [k[i] for k in keys] for i, n in enumerate(names)}))
        on = " and ".join(f"t.{k} = _keys.{k}" for k in names)
        row = self.con.execute(f"delete from {table} t using _keys where {on}").fetchone()
        self.con.unregister("_keys")
        return int(row[0]) if row else 0

    def upsert(self, table: str, batch: pa.RecordBatch) -> int:
        self.con.register("_incoming", pa.Table.from_batches([batch]))
        self.con.execute(f"insert or replace into {table} by name select * from _incoming")
        self.con.unregister("_incoming")
        return int(batch.num_rows)

    def set_high_water(self, table: str, at: datetime) -> None:
        self.con.execute(f"insert or replace into {STATE_TABLE} values (?, ?)", [table, at])

    def rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        self._ensure(table)
        yield from self.con.execute(f"select {', '.join(_columns(table))} from {table}").fetchall()

    def close(self) -> None:
        self.con.close()


def open_replica(url: str) -> Replica:
    scheme = urlsplit(url).scheme.split("+")[0]
    if scheme in ("mysql", "mariadb"):
        return MySQLReplica(url)
    if scheme == "duckdb":
        return DuckDBReplica(url)
    raise UsageError(f"the replica is a mysql:// or duckdb:// URL, not {scheme}://")
