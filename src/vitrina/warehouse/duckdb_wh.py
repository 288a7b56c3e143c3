"""The DuckDB warehouse (local profile): one database file, Arrow in and out without copies."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import duckdb
import pyarrow as pa

from vitrina.backends import register
from vitrina.errors import BackendError, UsageError
from vitrina.warehouse.base import DbtTarget, Warehouse, normalise_arrow, quote_ident

__all__ = [
    "DEFAULT_MEMORY_LIMIT",
    "DuckDBWarehouse",
    "duckdb_engine_config",
    "duckdb_path",
    "set_engine_config",
]

log = logging.getLogger(__name__)

# DuckDB's own default is 80 % of the machine's memory; a fixed bound keeps a warehouse step
# at the same size whatever the data, the rest spilling to ``temp_directory``.
DEFAULT_MEMORY_LIMIT = "2GB"
# The engine settings a warehouse URL may carry in its query string.
_ENGINE_KEYS = ("memory_limit", "temp_directory", "threads")


def duckdb_path(url: str) -> str:
    """The file path of ``duckdb:///abs/path.duckdb`` (``duckdb://:memory:`` for in-memory)."""
    parts = urlsplit(url)
    path = (parts.netloc + parts.path) if parts.netloc else parts.path
    return path or ":memory:"


def duckdb_engine_config(url: str, role: str = "warehouse") -> dict[str, str]:
    """DuckDB settings from the URL's query (``?memory_limit=1GB&temp_directory=/tmp/x&threads=2``).

    ``memory_limit`` defaults to :data:`DEFAULT_MEMORY_LIMIT`; ``temp_directory`` (where what
    does not fit is spilled) to ``<database>.tmp`` next to the database file.
    """
    config = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    unknown = sorted(set(config) - set(_ENGINE_KEYS))
    if unknown:
        raise UsageError(
            f"{role} URL: unknown setting {', '.join(unknown)} (use {', '.join(_ENGINE_KEYS)})"
        )
    config.setdefault("memory_limit", DEFAULT_MEMORY_LIMIT)
    path = duckdb_path(url)
    if path != ":memory:":
        config.setdefault("temp_directory", f"{path}.tmp")
    return config


def set_engine_config(con: duckdb.DuckDBPyConnection, engine: dict[str, str]) -> None:
    """Apply ``engine`` (see :func:`duckdb_engine_config`) to an open connection.

    Set after connecting, not as ``connect(config=)``: a connection to a file another
    connection of this process holds (dbt's) must not differ in configuration.
    """
    for key, value in engine.items():
        # An engine this process already opened (dbt's, say) refuses even the same
        # spill directory once it has spilled: set only what differs.
        now = con.execute("select current_setting(?)", [key]).fetchall()
        if str(now[0][0]) == value:
            continue
        con.execute(f"set {key} = '{value.replace(chr(39), chr(39) * 2)}'")


@register("warehouse", "duckdb", local=True)
class DuckDBWarehouse(Warehouse):
    dialect = "duckdb"

    @classmethod
    def dbt_target(cls, url: str) -> DbtTarget:
        # dbt-duckdb runs ``SET key = value`` for each of ``settings`` on every cursor it opens,
        # so dbt's models run under the URL's memory limit (SET after connecting, not
        # connect-time config, lets dbt share the file with an open warehouse connection of
        # this process). ``temp_directory`` cannot be SET again once spilled to, so it is left
        # to the warehouse connection the transform holds open around dbt (same engine).
        settings = duckdb_engine_config(url)
        settings.pop("temp_directory", None)
        output = {
            "type": "duckdb",
            "path": duckdb_path(url),
            "schema": "main",
            "settings": settings,
        }
        return DbtTarget("duckdb", output)

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = duckdb_path(url)
        engine = duckdb_engine_config(url)  # a bad setting stops before anything is created
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(self.path)
            self.con.execute("set TimeZone = 'UTC'")
            set_engine_config(self.con, engine)
        except duckdb.Error as exc:
            raise BackendError(f"cannot open DuckDB warehouse {self.path}: {exc}") from exc

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        try:
            self.con.execute(sql, list(params) if params is not None else None)
        except duckdb.Error as exc:
            raise BackendError(f"warehouse statement failed: {exc}") from exc

    def query_arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        try:
            rel = self.con.sql(sql, params=list(params) if params is not None else None)
            return rel.to_arrow_table() if rel is not None else pa.table({})
        except duckdb.Error as exc:
            raise BackendError(f"warehouse query failed: {exc}") from exc

    def query_batches(self, sql: str, rows: int) -> pa.RecordBatchReader:
        try:
            return self.con.sql(sql).to_arrow_reader(rows)
        except duckdb.Error as exc:
            raise BackendError(f"warehouse query failed: {exc}") from exc

    def load_arrow(self, schema: str, name: str, table: pa.Table) -> int:
        table = normalise_arrow(table)
        view = f"_load_{schema}_{name}"
        cols = ", ".join(quote_ident(c) for c in table.column_names)
        try:
            self.con.register(view, table)
            self.con.execute(
                f"insert into {quote_ident(schema)}.{quote_ident(name)} ({cols}) select {cols} from {view}"
            )
        except duckdb.Error as exc:
            raise BackendError(f"bulk load into {schema}.{name} failed: {exc}") from exc
        finally:
            self.con.unregister(view)
        return int(table.num_rows)

    def stage(self, name: str, table: pa.Table) -> str:
        # A registered Arrow table is a zero-copy view, already queryable by name.
        self.con.register(name, normalise_arrow(table))
        return quote_ident(name)

    def unstage(self, name: str) -> None:
        self.con.unregister(name)

    def columns(self, schema: str, name: str) -> list[str]:
        # duckdb_columns() reads the catalog directly: information_schema is a view over it
        # that costs far more per call (ingest asks once per table).
        rows = self.con.execute(
            "select column_name from duckdb_columns() "
            "where schema_name = ? and table_name = ? "
            "order by column_index",
            [schema, name],
        ).fetchall()
        return [str(r[0]) for r in rows]

    @contextmanager
    def scratch_writes(self) -> Iterator[None]:
        """Store what is written inside uncompressed: choosing and applying a compression per
        column costs more than half of a bulk insert, wasted on tables dropped after the run."""
        self.con.execute("set force_compression = 'uncompressed'")
        try:
            yield
        finally:
            self.con.execute("reset force_compression")

    def _begin(self) -> None:
        self.con.begin()

    def _commit(self) -> None:
        self.con.commit()

    def _rollback(self) -> None:
        self.con.rollback()

    def close(self) -> None:
        self.con.close()
