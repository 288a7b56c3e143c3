"""The warehouse interface shared by the DuckDB and PostgreSQL backends, and Arrow type mapping."""

from __future__ import annotations

import dataclasses
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from vitrina.closing import Closing
from vitrina.errors import UsageError

__all__ = ["DbtTarget", "Warehouse", "normalise_arrow", "quote_ident", "sql_type"]

log = logging.getLogger(__name__)

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def quote_ident(name: str) -> str:
    """A double-quoted identifier; names are checked so no SQL can ride along."""
    if not _IDENT.match(name):
        raise UsageError(f"invalid SQL identifier {name!r}")
    return f'"{name}"'


def normalise_arrow(table: pa.Table) -> pa.Table:
    """Cast view/large string types to plain ones so every backend accepts the table."""
    fields = []
    changed = False
    for field in table.schema:
        t = field.type
        if pa.types.is_large_string(t) or pa.types.is_string_view(t):
            t, changed = pa.string(), True
        elif pa.types.is_large_binary(t) or pa.types.is_binary_view(t):
            t, changed = pa.binary(), True
        elif pa.types.is_dictionary(t):
            t, changed = t.value_type, True
        fields.append(pa.field(field.name, t, field.nullable))
    return table.cast(pa.schema(fields)) if changed else table


def sql_type(t: pa.DataType, dialect: str) -> str:
    """The column type a backend uses for an Arrow type (timestamps: naive UTC)."""
    pg = dialect == "postgres"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_int8(t) or pa.types.is_int16(t):
        return "smallint"
    if pa.types.is_int32(t):
        return "integer"
    if pa.types.is_integer(t):
        return "bigint"
    if pa.types.is_floating(t):
        return "double precision" if pg else "double"
    if pa.types.is_decimal(t):
        return f"numeric({t.precision},{t.scale})" if pg else f"decimal({t.precision},{t.scale})"
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return "text" if pg else "varchar"
    if pa.types.is_timestamp(t):
        return "timestamp"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return "bytea" if pg else "blob"
    raise UsageError(f"no warehouse column type for Arrow type {t}")


@dataclass(frozen=True)
class DbtTarget:
    """How dbt connects to a warehouse: one output of profiles.yml, named ``name``.

    ``output`` holds the plain settings (``type`` is the dbt adapter); ``secrets`` the values
    never written to a file (profiles.yml reads them with ``env_var()``).
    """

    name: str
    output: dict[str, Any]
    secrets: dict[str, str] = dataclasses.field(default_factory=dict)


class Warehouse(ABC, Closing):
    """One warehouse connection: SQL, Arrow results and bulk Arrow loads."""

    dialect: str = ""
    url: str = ""

    @classmethod
    @abstractmethod
    def dbt_target(cls, url: str) -> DbtTarget:
        """The dbt target for the warehouse ``url`` names (no connection is made)."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        """Run one statement (no result)."""

    @abstractmethod
    def query_arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        """Run a query and return its result as an Arrow table."""

    @abstractmethod
    def load_arrow(self, schema: str, name: str, table: pa.Table) -> int:
        """Append ``table`` to an existing table in bulk; returns the row count."""

    @abstractmethod
    def stage(self, name: str, table: pa.Table) -> str:
        """Make ``table`` queryable as a temporary relation (session-local); returns its quoted name."""

    @abstractmethod
    def unstage(self, name: str) -> None:
        """Drop a relation made by :meth:`stage`."""

    @abstractmethod
    def _begin(self) -> None: ...

    @abstractmethod
    def _commit(self) -> None: ...

    @abstractmethod
    def _rollback(self) -> None: ...

    @abstractmethod
    def close(self) -> None:
        """Release the connection (a DuckDB file is locked while open)."""

    @abstractmethod
    def columns(self, schema: str, name: str) -> list[str]:
        """Column names of a table, in order; empty when it does not exist."""

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside commits together or not at all."""
        self._begin()
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        self._commit()

    @contextmanager
    def scratch_writes(self) -> Iterator[None]:
        """Writes inside go to tables dropped soon after (a run's stage tables).

        An engine may store them in the cheapest way to write rather than the smallest; what
        they hold and every query over them stay the same. This default changes nothing.
        """
        yield

    def ensure_schema(self, schema: str) -> None:
        self.execute(f"create schema if not exists {quote_ident(schema)}")

    def ensure_table(
        self, schema: str, name: str, arrow_schema: pa.Schema, primary_key: Sequence[str] = ()
    ) -> None:
        """Create ``schema.name`` with columns typed from ``arrow_schema`` when it is missing."""
        if self.columns(schema, name):
            return
        self.ensure_schema(schema)
        cols = [f"{quote_ident(f.name)} {sql_type(f.type, self.dialect)}" for f in arrow_schema]
        if primary_key:
            cols.append(f"primary key ({', '.join(quote_ident(k) for k in primary_key)})")
        self.execute(
            f"create table if not exists {quote_ident(schema)}.{quote_ident(name)} ({', '.join(cols)})"
        )

    def query_batches(self, sql: str, rows: int) -> pa.RecordBatchReader:
        """A query's result as Arrow record batches of at most ``rows`` rows.

        This default reads the whole result first; an engine that can stream it overrides this
        so a reader holds one batch at a time. No other statement may run on this warehouse
        until the reader is exhausted or closed.
        """
        table = self.query_arrow(sql)
        return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(rows))

    def table_rows(self, schema: str, name: str) -> int:
        t = self.query_arrow(f"select count(*) as n from {quote_ident(schema)}.{quote_ident(name)}")
        return int(t.column(0)[0].as_py())
