"""Reading the OLTP source's changes: rows by ``updated_at`` and tombstones, up to a cut-off."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any, Protocol
from urllib.parse import urlsplit

import pyarrow as pa

from vitrina.contracts.registry import contract_for
from vitrina.contracts.storage import field_kinds
from vitrina.errors import BackendError, UsageError
from vitrina.source import DELETIONS, UPDATED_AT, contract_columns, schema_sql

__all__ = [
    "BATCH_ROWS",
    "Deletions",
    "PostgresReader",
    "SourceReader",
    "open_reader",
    "window_literal_sql",
    "window_sql",
]

BATCH_ROWS = 50_000
_WRITE_BYTES = 1 << 20
_SNAPSHOT_ID = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")


class Deletions:
    """Tombstones of one table in a window: the keys, and whether the table was emptied."""

    def __init__(self) -> None:
        self.cleared = False
        self.keys: list[tuple[Any, ...]] = []


class SourceReader(Protocol):
    def cutoff(self) -> datetime: ...
    def changed(
        self, table: str, since: datetime | None, until: datetime
    ) -> Iterator[pa.RecordBatch]: ...
    def deletions(self, table: str, since: datetime | None, until: datetime) -> Deletions: ...
    def close(self) -> None: ...


def window_sql(column: str, since: datetime | None) -> str:
    """``column`` in ``[since, until)``; before the first run everything up to ``until``.

    Parameters: ``since`` (when given), then ``until``.
    """
    lower = f"{column} >= %s and " if since is not None else f"({column} is null or "
    upper = f"{column} < %s" + ("" if since is not None else ")")
    return lower + upper


def window_literal_sql(column: str, since: datetime | None, until: datetime) -> str:
    """:func:`window_sql` with the instants written in (for statements without parameters)."""
    literals = (f"timestamptz '{t.isoformat()}'" for t in (since, until) if t is not None)
    return window_sql(column, since) % tuple(literals)


def _columns(table: str) -> list[str]:
    return [*contract_columns(table), UPDATED_AT]


def _as_text(column: str, kind: str) -> str:
    """A column as MySQL's LOAD DATA reads it: timestamps naive UTC, booleans 0/1."""
    if kind in ("timestamp", "date_or_timestamp"):
        return f"({column} at time zone 'UTC')"
    return f"{column}::int" if kind == "bool" else column


def _deletions(rows: list[tuple[Any]]) -> Deletions:
    out = Deletions()
    for (key_json,) in rows:
        if key_json is None:
            out.cleared = True
        else:
            out.keys.append(tuple(json.loads(key_json)))
    return out


class PostgresReader:
    """Reads in one repeatable-read snapshot; the cut-off waits for transactions in flight.

    Several readers can share one snapshot (:meth:`share_snapshot`, :meth:`use_snapshot`), so
    tables copied side by side on several connections still come from one instant.
    """

    def __init__(self, url: str, *, ensure_schema: bool = True) -> None:
        import psycopg

        from vitrina.source.postgres_source import PostgresSource

        if ensure_schema:  # the schema and its triggers exist before the first read
            PostgresSource(url).close()
        self.url = url
        try:
            self.con = psycopg.connect(url)
        except psycopg.Error as exc:
            raise BackendError(f"cannot connect to the PostgreSQL source: {exc}") from exc
        self.con.execute("set time zone 'UTC'")
        self.con.commit()
        self.con.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        self.con.read_only = True

    def cutoff(self) -> datetime:
        """The earliest of now and the start of every other open transaction on the database.

        A row is stamped ``clock_timestamp()`` when written, never before its transaction
        began: every row stamped before this cut-off is committed and visible to the snapshot
        the reads take after it (its own transaction, begun once this one is over).
        """
        row = self.con.execute(
            "select least(clock_timestamp(), (select min(xact_start) from pg_stat_activity "
            "where datname = current_database() and pid <> pg_backend_pid() "
            "and xact_start is not null))"
        ).fetchone()
        self.con.commit()
        assert row is not None
        return _utc(row[0])

    def share_snapshot(self) -> str:
        """The id of this reader's snapshot (taken now if no read took it yet), for others."""
        row = self.con.execute("select pg_export_snapshot()").fetchone()
        assert row is not None
        return str(row[0])

    def use_snapshot(self, snapshot: str) -> None:
        """Read from then on in ``snapshot`` (of a reader whose transaction is still open)."""
        if not _SNAPSHOT_ID.fullmatch(snapshot):
            raise UsageError(f"not a PostgreSQL snapshot id: {snapshot!r}")
        self.con.execute(f"set transaction snapshot '{snapshot}'")

    def counts(self, marks: dict[str, datetime | None], until: datetime) -> dict[str, int]:
        """How many rows of each table changed since its mark (the index on ``updated_at``
        makes it cost the changed rows)."""
        out = {}
        for table, since in marks.items():
            params = [p for p in (since, until) if p is not None]
            row = self.con.execute(
                f"select count(*) from {table} where {window_sql(UPDATED_AT, since)}", params
            ).fetchone()
            out[table] = int(row[0]) if row else 0
        return out

    def changed(
        self, table: str, since: datetime | None, until: datetime
    ) -> Iterator[pa.RecordBatch]:
        cols = _columns(table)
        params = [p for p in (since, until) if p is not None]
        with self.con.cursor(name=f"vitrina_replicate_{table}") as cur:
            cur.itersize = BATCH_ROWS
            cur.execute(
                f"select {', '.join(cols)} from {table} where {window_sql(UPDATED_AT, since)}",
                params,
            )
            while rows := cur.fetchmany(BATCH_ROWS):
                yield pa.RecordBatch.from_arrays(
                    [pa.array(list(c)) for c in zip(*rows, strict=True)], names=cols
                )

    def copy_text(self, table: str, since: datetime | None, until: datetime, out: IO[bytes]) -> int:
        """The rows changed in the window as COPY text (tab-separated, ``\\N`` for NULL);
        returns how many (a row is a line: newlines in values are escaped)."""
        kinds = [*field_kinds(table), (UPDATED_AT, "timestamp")]
        cols = ", ".join(_as_text(name, kind) for name, kind in kinds)
        where = window_literal_sql(UPDATED_AT, since, until)
        rows = 0
        buf = bytearray()
        with (
            self.con.cursor() as cur,
            cur.copy(f"copy (select {cols} from {table} where {where}) to stdout") as copy,
        ):
            for block in copy:  # a block per row: gather them, write and count a MB at a time
                buf += block
                if len(buf) >= _WRITE_BYTES:
                    rows += buf.count(b"\n")
                    out.write(buf)
                    buf.clear()
        rows += buf.count(b"\n")
        out.write(buf)
        return rows

    def deletions(self, table: str, since: datetime | None, until: datetime) -> Deletions:
        params: list[Any] = [table, *(p for p in (since, until) if p is not None)]
        rows = self.con.execute(
            f"select key_json from {DELETIONS} where table_name = %s "
            f"and {window_sql('deleted_at', since)}",
            params,
        ).fetchall()
        return _deletions(rows)

    def close(self) -> None:
        self.con.close()


class DuckDBReader:
    """The local source; DuckDB lets one process write the file, so now is a safe cut-off."""

    def __init__(self, url: str) -> None:
        import duckdb

        try:
            self.con = duckdb.connect(urlsplit(url).path)
        except duckdb.Error as exc:
            raise BackendError(f"cannot open the DuckDB source: {exc}") from exc
        self.con.execute(schema_sql())
        self.con.execute("set timezone = 'UTC'")
        self.con.execute("begin transaction")

    def cutoff(self) -> datetime:
        row = self.con.execute("select current_timestamp").fetchone()
        assert row is not None
        return _utc(row[0])

    def changed(
        self, table: str, since: datetime | None, until: datetime
    ) -> Iterator[pa.RecordBatch]:
        params = [p for p in (since, until) if p is not None]
        sql = f"select {', '.join(_columns(table))} from {table} where "
        sql += window_sql(UPDATED_AT, since).replace("%s", "?")
        reader = self.con.sql(sql, params=params).to_arrow_reader(BATCH_ROWS)
        yield from reader

    def deletions(self, table: str, since: datetime | None, until: datetime) -> Deletions:
        params: list[Any] = [table, *(p for p in (since, until) if p is not None)]
        sql = f"select key_json from {DELETIONS} where table_name = ? and "
        rows = self.con.execute(sql + window_sql("deleted_at", since).replace("%s", "?"), params)
        return _deletions(rows.fetchall())

    def close(self) -> None:
        self.con.close()


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def open_reader(url: str) -> SourceReader:
    scheme = urlsplit(url).scheme.split("+")[0]
    if scheme in ("postgresql", "postgres"):
        return PostgresReader(url.replace("postgresql+psycopg://", "postgresql://"))
    if scheme == "duckdb":
        return DuckDBReader(url)
    raise UsageError(f"replication reads a postgresql:// or duckdb:// source, not {scheme}://")


def key_columns(table: str) -> tuple[str, ...]:
    return contract_for(table).key_columns()
