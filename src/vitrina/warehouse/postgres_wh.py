"""The PostgreSQL warehouse (stack profile): psycopg 3, bulk loads by binary COPY."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pyarrow as pa

from vitrina.backends import register
from vitrina.errors import BackendError, ServiceUnavailable
from vitrina.warehouse.base import DbtTarget, Warehouse, normalise_arrow, quote_ident, sql_type
from vitrina.warehouse.pgcopy import COPY_SIGNATURE, COPY_TRAILER, encode_rows, supports

__all__ = ["PostgresWarehouse", "copy_type"]

log = logging.getLogger(__name__)

# Type oids psycopg reports in cursor.description, and the Arrow type each one reads as.
_OID_ARROW: dict[int, pa.DataType] = {
    16: pa.bool_(),
    20: pa.int64(),
    21: pa.int16(),
    23: pa.int32(),
    700: pa.float32(),
    701: pa.float64(),
    25: pa.string(),
    1043: pa.string(),
    1042: pa.string(),
    1114: pa.timestamp("us"),
    1184: pa.timestamp("us", tz="UTC"),
    1082: pa.date32(),
}


def copy_type(t: pa.DataType) -> str:
    """The PostgreSQL type name binary COPY needs to encode a value of Arrow type ``t``."""
    if pa.types.is_boolean(t):
        return "bool"
    if pa.types.is_int8(t) or pa.types.is_int16(t):
        return "int2"
    if pa.types.is_int32(t):
        return "int4"
    if pa.types.is_integer(t):
        return "int8"
    if pa.types.is_floating(t):
        return "float8"
    if pa.types.is_decimal(t):
        return "numeric"
    if pa.types.is_timestamp(t):
        return "timestamptz" if t.tz else "timestamp"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_binary(t):
        return "bytea"
    return "text"


_COPY_BATCH_ROWS = 262_144


def _rows(table: pa.Table) -> Iterator[tuple[Any, ...]]:
    batch_rows = 65_536
    for batch in table.to_batches(max_chunksize=batch_rows):
        cols = [c.to_pylist() for c in batch.columns]
        yield from zip(*cols, strict=True)


@register("warehouse", "postgresql", "postgres", extra="postgres")
class PostgresWarehouse(Warehouse):
    dialect = "postgres"

    @classmethod
    def dbt_target(cls, url: str) -> DbtTarget:
        parts = urlsplit(url)
        output = {
            "type": "postgres",
            "host": parts.hostname or "127.0.0.1",
            "port": parts.port or 5432,
            "user": unquote(parts.username or ""),
            "dbname": parts.path.lstrip("/") or "vitrina",
            "schema": "public",
        }
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if "sslmode" in query:
            output["sslmode"] = query["sslmode"]
        password = unquote(parts.password or "") or query.get("password", "")
        return DbtTarget("postgres", output, {"password": password})

    def __init__(self, url: str) -> None:
        import psycopg  # optional extra: vitrina[postgres]

        self._psycopg = psycopg
        self.url = url
        try:
            self.con = psycopg.connect(url, autocommit=True, options="-c TimeZone=UTC")
        except psycopg.OperationalError as exc:
            raise ServiceUnavailable(
                f"cannot connect to the PostgreSQL warehouse: {exc}".strip()
            ) from exc
        self._tx: Any = None

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        try:
            with self.con.cursor() as cur:
                cur.execute(sql.replace("?", "%s") if params else sql, params)
        except self._psycopg.Error as exc:
            raise BackendError(f"warehouse statement failed: {exc}") from exc

    def query_arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        try:
            with self.con.cursor() as cur:
                cur.execute(sql.replace("?", "%s") if params else sql, params)
                desc = cur.description or []
                rows = cur.fetchall()
        except self._psycopg.Error as exc:
            raise BackendError(f"warehouse query failed: {exc}") from exc
        names = [d.name for d in desc]
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in desc]
        arrays = []
        for d, values in zip(desc, columns, strict=True):
            t = _OID_ARROW.get(d.type_code)
            if d.type_code == 1700:
                scale = d.scale if d.scale is not None and d.scale >= 0 else None
                precision = d.precision if d.precision else None
                if scale is None or precision is None:
                    scale, precision = _decimal_shape(values)
                t = pa.decimal128(precision, scale)
            try:
                arrays.append(pa.array(list(values), type=t))
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                arrays.append(
                    pa.array([None if v is None else str(v) for v in values], type=pa.string())
                )
        return pa.Table.from_arrays(arrays, names=names)

    def load_arrow(self, schema: str, name: str, table: pa.Table) -> int:
        return self._copy(f"{quote_ident(schema)}.{quote_ident(name)}", normalise_arrow(table))

    def _copy(self, target: str, table: pa.Table) -> int:
        cols = ", ".join(quote_ident(c) for c in table.column_names)
        statement = f"copy {target} ({cols}) from stdin (format binary)"
        try:
            with self.con.cursor() as cur, cur.copy(statement) as cp:
                if all(supports(f.type) for f in table.schema):
                    cp.write(COPY_SIGNATURE)
                    for batch in table.to_batches(max_chunksize=_COPY_BATCH_ROWS):
                        cp.write(encode_rows(pa.Table.from_batches([batch], table.schema)))
                    cp.write(COPY_TRAILER)
                else:  # rare types: psycopg encodes row by row
                    cp.set_types([copy_type(f.type) for f in table.schema])
                    for row in _rows(table):
                        cp.write_row(row)
        except self._psycopg.Error as exc:
            raise BackendError(f"binary COPY into {target} failed: {exc}") from exc
        return int(table.num_rows)

    def stage(self, name: str, table: pa.Table) -> str:
        q = quote_ident(name)
        table = normalise_arrow(table)
        cols = ", ".join(
            f"{quote_ident(f.name)} {sql_type(f.type, self.dialect)}" for f in table.schema
        )
        self.execute(f"drop table if exists pg_temp.{q}")
        self.execute(f"create temp table {q} ({cols})")
        self._copy(q, table)
        return q

    def unstage(self, name: str) -> None:
        self.execute(f"drop table if exists pg_temp.{quote_ident(name)}")

    def columns(self, schema: str, name: str) -> list[str]:
        with self.con.cursor() as cur:
            cur.execute(
                "select column_name from information_schema.columns "
                "where table_schema = %s and table_name = %s order by ordinal_position",
                (schema, name),
            )
            return [str(r[0]) for r in cur.fetchall()]

    def _begin(self) -> None:
        self._tx = self.con.transaction()
        self._tx.__enter__()

    def _commit(self) -> None:
        tx, self._tx = self._tx, None
        tx.__exit__(None, None, None)

    def _rollback(self) -> None:
        tx, self._tx = self._tx, None
        tx.__exit__(BackendError, BackendError("rolled back"), None)

    def close(self) -> None:
        self.con.close()


def _decimal_shape(values: Sequence[Any]) -> tuple[int, int]:
    scale = 0
    for v in values:
        if isinstance(v, Decimal):
            exp = v.as_tuple().exponent
            if isinstance(exp, int):
                scale = max(scale, -exp)
    return scale, 38
