"""The marts store: chdb in process or a ClickHouse server, one client and one SQL dialect.

Both URL forms go through clickhouse-connect, whose ``chdb://`` client drives the embedded
engine with the same API as the HTTP client for a server, so there is exactly one code path:

    chdb:///abs/path[?database=vitrina]          the ClickHouse engine in this process
    clickhouse://user:pw@host:8123/db             a ClickHouse server over HTTP

chdb holds one data path per process: opening a second path while a store is open raises
:class:`~vitrina.errors.BackendError`; close the store first (``with open_marts(url) as ms``).
Several stores on the *same* path may be open at once (they share the engine).
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pyarrow as pa

from vitrina.backends import open_backend, register
from vitrina.closing import Closing
from vitrina.errors import BackendError, UsageError
from vitrina.redact import mask_url

__all__ = ["DEFAULT_DATABASE", "MartsStore", "open_marts"]

logger = logging.getLogger(__name__)

DEFAULT_DATABASE = "vitrina"
# Rows per insert when a table is loaded from Arrow.
INSERT_BATCH_ROWS = 100_000
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# One replace at a time per table within this process; across processes the marts store
# has a single writer (publish), readers are unlimited.
_REPLACE_LOCK = threading.Lock()


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise UsageError(f"invalid marts table name {name!r} (letters, digits, underscores)")
    return name


class MartsStore(Closing):
    """A ClickHouse database (embedded or remote) holding the denormalised marts."""

    def __init__(self, client: Any, url: str, database: str) -> None:
        self._client = client
        self.url = url
        self.database = database

    # -- SQL -------------------------------------------------------------------------------
    def execute(self, sql: str) -> None:
        """Run one statement that returns nothing useful (DDL, INSERT ... SELECT)."""
        try:
            self._client.command(sql)
        except Exception as exc:
            raise BackendError(f"marts store: {_first_line(exc)}") from exc

    def query_arrow(self, sql: str) -> pa.Table:
        """Run a query and return its result as an Arrow table."""
        try:
            table = self._client.query_arrow(sql)
        except Exception as exc:
            raise BackendError(f"marts store: {_first_line(exc)}") from exc
        return table if isinstance(table, pa.Table) else pa.table(table)

    def insert_arrow(self, table: str, arrow_table: pa.Table) -> int:
        """Append ``arrow_table`` to ``table`` (columns matched by name); returns the row count."""
        _check_name(table)
        if arrow_table.num_rows == 0:
            return 0
        try:
            self._client.insert_arrow(table, arrow_table)
        except Exception as exc:
            raise BackendError(f"marts store: insert into {table}: {_first_line(exc)}") from exc
        return int(arrow_table.num_rows)

    def exists(self, name: str) -> bool:
        _check_name(name)
        rows = self.query_arrow(
            "select count() as n from system.tables "
            f"where database = '{self.database}' and name = '{name}'"
        )
        return bool(rows.column("n")[0].as_py())

    def tables(self) -> list[str]:
        """Names of the tables in the store's database (staging tables left out)."""
        rows = self.query_arrow(
            f"select name from system.tables where database = '{self.database}' order by name"
        )
        return [n for n in rows.column("name").to_pylist() if not n.startswith("_staging_")]

    def row_count(self, name: str) -> int:
        _check_name(name)
        return int(self.query_arrow(f"select count() as n from {name}").column("n")[0].as_py())

    def replace_table(self, name: str, arrow_table: pa.Table, create_sql: str) -> int:
        """Replace ``name`` with ``arrow_table`` atomically; returns the rows now in it.

        ``create_sql`` is a CREATE TABLE statement whose table name is written ``{table}``
        (for example ``create table {table} (id Int64) engine = MergeTree order by id``).
        """
        return self.replace_batches(
            name, arrow_table.to_batches(max_chunksize=INSERT_BATCH_ROWS), create_sql
        )

    def replace_batches(self, name: str, batches: Iterable[pa.RecordBatch], create_sql: str) -> int:
        """Replace ``name`` with the rows of ``batches`` atomically; returns the rows now in it.

        One insert per batch, so only one batch is held at a time however large the table.
        The new content is built in a staging table, then swapped in with EXCHANGE TABLES
        (one atomic metadata operation in an Atomic database), so a reader sees either the
        old table or the new one, never a partly filled one. The first build is a RENAME.
        """
        rows = 0

        def fill(staging: str) -> None:
            nonlocal rows
            for batch in batches:
                rows += self.insert_arrow(staging, pa.Table.from_batches([batch]))

        self._swap_in(name, create_sql, fill)
        logger.info("marts: replaced %s with %d rows", name, rows)
        return rows

    def replace_table_as(self, name: str, select_sql: str, create_sql: str) -> int:
        """Like :meth:`replace_table`, filled by ``select_sql`` run inside the store."""
        rows = self._swap_in(
            name,
            create_sql,
            lambda staging: self.execute(f"insert into {staging} {select_sql}"),
            count=True,
        )
        logger.info("marts: rebuilt %s with %d rows", name, rows)
        return rows

    def _swap_in(
        self, name: str, create_sql: str, fill: Callable[[str], object], count: bool = False
    ) -> int:
        _check_name(name)
        if "{table}" not in create_sql:
            raise UsageError("create_sql must name the table as {table}")
        staging = f"_staging_{name}"
        rows = -1
        with _REPLACE_LOCK:
            # A staging table left by a crashed run is garbage: start clean.
            self.execute(f"drop table if exists {staging} sync")
            self.execute(create_sql.replace("{table}", staging))
            fill(staging)
            if count:
                rows = self.row_count(staging)
            if self.exists(name):
                self.execute(f"exchange tables {staging} and {name}")
                self.execute(f"drop table if exists {staging} sync")
            else:
                self.execute(f"rename table {staging} to {name}")
        return rows

    def close(self) -> None:
        """Release the client (for chdb, the engine path once no other store holds it)."""
        client, self._client = self._client, None
        if client is not None:
            try:
                client.close()
            except Exception as exc:  # closing must never mask the caller's own error
                logger.debug("marts: close failed: %s", exc)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _client_for(url: str) -> tuple[Any, str]:
    import clickhouse_connect  # local: keeps `import vitrina` light

    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if parts.scheme == "chdb":
        path = unquote(parts.netloc + parts.path) if parts.netloc else unquote(parts.path)
        if not path or path == "/":
            raise UsageError(f"marts URL {url!r} needs a path: chdb:///abs/path")
        database = query.get("database", DEFAULT_DATABASE)
        from pathlib import Path

        Path(path).mkdir(parents=True, exist_ok=True)
        client = clickhouse_connect.get_client(dsn=f"chdb://{path}")
    elif parts.scheme == "clickhouse":
        database = parts.path.strip("/") or query.get("database", DEFAULT_DATABASE)
        client = clickhouse_connect.get_client(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 8123,
            username=unquote(parts.username or "default"),
            password=unquote(parts.password or ""),
        )
    else:
        raise UsageError(
            f"unsupported marts URL scheme {parts.scheme!r} (allowed: chdb://, clickhouse://)"
        )
    return client, _check_name(database)


def open_marts(url: str) -> MartsStore:
    """Open the marts store named by ``url``; creates its (Atomic) database when missing."""
    store: MartsStore = open_backend("marts", url)
    return store


@register("marts", "chdb", local=True)
@register("marts", "clickhouse")
def _open(url: str) -> MartsStore:
    try:
        client, database = _client_for(url)
    except UsageError:
        raise
    except Exception as exc:
        where = mask_url(url)
        text = str(exc)
        if "Cannot lock file" in text or "Error initializing EmbeddedServer" in text:
            # chdb does not always say why; a lock held by another process is the usual cause.
            reason = "the data path is locked, most likely open in another process (chdb allows "
            reason += "one process per data path)"
        elif "already initialized with path" in text:
            reason = "this process has another chdb path open (close that store first)"
        else:
            reason = _first_line(exc)
        raise BackendError(f"cannot open marts store {where}: {reason}") from exc
    try:
        client.command(f"create database if not exists {database} engine = Atomic")
        client.database = database
    except Exception as exc:
        client.close()
        raise BackendError(f"cannot prepare marts database {database}: {_first_line(exc)}") from exc
    return MartsStore(client, url, database)
