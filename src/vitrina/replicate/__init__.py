"""Incremental replication of the OLTP source into the replica, table by table.

For each table, one transaction on the replica applies the tombstones and the rows changed
in ``[high-water mark, cut-off)`` and moves the mark to the cut-off: a run killed at any
moment leaves every table either as it was or fully advanced, and the next run goes on from
there. Two engines read the changes: ``python`` (Arrow batches, multi-row inserts) and
``spark`` (JDBC reads partitioned by key on the cluster, staged in the replica).
"""

from __future__ import annotations

import logging
import mmap
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from vitrina.errors import UsageError
from vitrina.replicate.replicas import MySQLReplica, Replica, open_replica
from vitrina.replicate.sources import PostgresReader, SourceReader, open_reader
from vitrina.source import ENTITY_TABLES

__all__ = ["ENGINES", "ReplicationReport", "TableReport", "replicate"]

log = logging.getLogger(__name__)
ENGINES: Final = ("python", "spark")
# Tables copied at once by the python engine from PostgreSQL into MySQL, a pair of
# connections each: one copy keeps one core of each server busy at most.
WORKERS: Final = 2
SIDE_BY_SIDE_ROWS: Final = 50_000


@dataclass(frozen=True)
class TableReport:
    upserted: int
    deleted: int
    cleared: bool
    high_water_at: datetime


@dataclass
class ReplicationReport:
    engine: str
    tables: dict[str, TableReport] = field(default_factory=dict)
    elapsed_s: float = 0.0

    @property
    def upserted(self) -> int:
        return sum(t.upserted for t in self.tables.values())

    @property
    def deleted(self) -> int:
        return sum(t.deleted for t in self.tables.values())

    def rows(self) -> list[tuple[str, str]]:
        out = [("engine", self.engine)]
        out += [
            (f"table.{name}", f"+{t.upserted:,} -{t.deleted:,}{' (cleared)' if t.cleared else ''}")
            for name, t in self.tables.items()
            if t.upserted or t.deleted or t.cleared
        ]
        out += [
            ("rows upserted", f"{self.upserted:,}"),
            ("rows deleted", f"{self.deleted:,}"),
            ("elapsed", f"{self.elapsed_s:.2f} s"),
        ]
        return out


def replicate(
    source_url: str,
    replica_url: str,
    *,
    engine: str = "python",
    tables: Sequence[str] = ENTITY_TABLES,
    spark: Any = None,
) -> ReplicationReport:
    """Bring the replica up to the source's state as of now; returns what changed.

    ``spark`` (engine ``spark``): a SparkSession connected to the cluster.
    """
    if engine not in ENGINES:
        raise UsageError(
            f"unknown replication engine {engine!r} (choose from {', '.join(ENGINES)})"
        )
    unknown = sorted(set(tables) - set(ENTITY_TABLES))
    if unknown:
        raise UsageError(f"unknown source tables: {', '.join(unknown)}")
    t0 = time.perf_counter()
    report = ReplicationReport(engine)
    reader = open_reader(source_url)
    replica = open_replica(replica_url)
    loader: Any = None
    try:
        if engine == "spark":
            if spark is None or not isinstance(replica, MySQLReplica):
                raise UsageError("the spark engine needs a SparkSession and a mysql:// replica")
            from vitrina.spark.replicate_job import SparkTableLoader

            loader = SparkTableLoader(spark, source_url, replica_url, replica)
        marks = {t: replica.high_water(t) for t in tables}
        cutoff = reader.cutoff()
        if (
            loader is None
            and isinstance(reader, PostgresReader)
            and isinstance(replica, MySQLReplica)
        ):
            report.tables |= _side_by_side(reader, replica, replica_url, marks, cutoff)
        else:
            for table in tables:
                report.tables[table] = _replicate_table(
                    reader, replica, table, marks[table], cutoff, loader
                )
    finally:
        if loader is not None:
            loader.close()
        reader.close()
        replica.close()
    report.elapsed_s = time.perf_counter() - t0
    return report


def _side_by_side(
    reader: PostgresReader,
    replica: MySQLReplica,
    replica_url: str,
    marks: dict[str, datetime | None],
    cutoff: datetime,
) -> dict[str, TableReport]:
    """The tables over up to ``WORKERS`` pairs of connections at once, the largest first.

    A second pair only when at least ``SIDE_BY_SIDE_ROWS`` rows changed: opening it costs
    more than a small change. Every source connection reads in the first one's snapshot; each
    table still has its own replica transaction, so a failure or a kill leaves each table as
    it was or fully advanced. A worker that fails stops the others from starting new tables;
    its error is raised.
    """
    changed = reader.counts(marks, cutoff)
    todo = sorted(marks, key=lambda t: -changed[t])
    snapshot = reader.share_snapshot()
    done: dict[str, TableReport] = {}
    lock = threading.Lock()
    failed = threading.Event()

    def work(pair: tuple[PostgresReader, MySQLReplica] | None) -> None:
        own = pair is None
        if pair is None:
            pair = (PostgresReader(reader.url, ensure_schema=False), MySQLReplica(replica_url))
        src, dst = pair
        try:
            if own:
                src.use_snapshot(snapshot)
                dst.prepare(list(marks))  # every table: ``todo`` shrinks meanwhile
            while not failed.is_set():
                with lock:
                    if not todo:
                        return
                    table = todo.pop(0)
                done[table] = _replicate_table(src, dst, table, marks[table], cutoff, None)
        except BaseException:
            failed.set()
            raise
        finally:
            if own:
                src.close()
                dst.close()

    if sum(changed.values()) < SIDE_BY_SIDE_ROWS:
        work((reader, replica))
    else:
        with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="replicate") as pool:
            futures = [
                pool.submit(work, (reader, replica) if i == 0 else None) for i in range(WORKERS)
            ]
        for future in futures:
            future.result()  # the first error, if any
    return {t: done[t] for t in marks}


def _replicate_table(
    reader: SourceReader,
    replica: Replica,
    table: str,
    since: datetime | None,
    until: datetime,
    loader: Any,
) -> TableReport:
    gone = reader.deletions(table, since, until)
    # Spark writes the changed rows into a staging table first (its own connections); the
    # merge below then runs in the same transaction as the deletes and the mark.
    stage = loader.stage(table, since, until) if loader is not None else None
    replica.begin()
    try:
        deleted = replica.clear(table) if gone.cleared or since is None else 0
        deleted += replica.delete_keys(table, gone.keys)
        if stage is not None:
            upserted = loader.merge(table, stage)
        else:
            upserted = _bulk_text(reader, replica, table, since, until)
        if upserted is None:
            upserted = _upsert_all(replica, table, reader.changed(table, since, until))
        replica.set_high_water(table, until)
        replica.commit()
    except BaseException:
        replica.rollback()
        raise
    log.info("replicated %s: +%d -%d up to %s", table, upserted, deleted, until.isoformat())
    return TableReport(upserted, deleted, gone.cleared, until)


def _bulk_text(
    reader: SourceReader, replica: Replica, table: str, since: datetime | None, until: datetime
) -> int | None:
    """PostgreSQL -> MySQL in bulk: COPY text out, LOAD DATA in; the rows, or None when the
    pair is another or a value needs the batch path (a form feed or vertical tab in a string,
    which LOAD DATA does not unescape; a value the server warns about)."""
    if not (isinstance(reader, PostgresReader) and isinstance(replica, MySQLReplica)):
        return None
    with tempfile.NamedTemporaryFile(prefix=f"vitrina-{table}-", suffix=".tsv") as tmp:
        rows = reader.copy_text(table, since, until, tmp)
        tmp.flush()
        if rows == 0:
            return 0
        with mmap.mmap(tmp.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if data.find(b"\\f") >= 0 or data.find(b"\\v") >= 0:
                return None
        return rows if replica.load_text(table, tmp.name) else None


def _upsert_all(replica: Replica, table: str, batches: Iterable[Any]) -> int:
    return sum(replica.upsert(table, b) for b in batches)
