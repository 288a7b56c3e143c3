"""``vitrina bench replicate``: the first full copy and incremental runs, Python and Spark paths.

Against the real PostgreSQL (source) and MariaDB (replica) of the profile, in scratch
databases created for the run and dropped afterwards: a simulated shop at a preset's size is
written to the source; each engine copies it whole into its own replica (rows/s); then a
fraction of every table's rows is updated in the source (the rows whose key is divisible by
``1 / fraction``) and each engine copies the change (seconds). The Python path runs a second,
larger change too, so the time is seen to follow the changed rows, not the table. Both
replicas are then checked row by row against the source.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any, Final

from vitrina.errors import UsageError
from vitrina.replicate import ENGINES

__all__ = ["SHOP_TABLES", "run_replicate_bench", "scratch_databases"]

SHOP_TABLES: Final = (
    "users",
    "categories",
    "products",
    "orders",
    "order_details",
    "reviews",
    "loyalty_points",
)
START_MS: Final = 1_767_225_600_000  # 2026-01-01T00:00:00Z


class _NoSink:
    """The event log of the simulated run: the bench needs only the source tables."""

    def write_slice(self, *args: object) -> Any:
        from pathlib import Path

        return Path("unused")


@contextmanager
def scratch_databases(postgres_url: str, mysql_url: str) -> Iterator[tuple[str, str]]:
    """(source URL, replica URL) of two new empty databases on the servers, dropped afterwards."""
    import psycopg
    import pymysql  # type: ignore[import-untyped]  # optional extra: vitrina[mysql]

    from vitrina.replicate.replicas import mysql_params

    name = f"vitrina_repl_{uuid.uuid4().hex[:10]}"
    postgres_url = postgres_url.replace("postgresql+psycopg://", "postgresql://")
    admin = psycopg.connect(postgres_url, autocommit=True)
    admin.execute(f"create database {name}")
    my = pymysql.connect(**mysql_params(mysql_url), autocommit=True)
    my.cursor().execute(f"create database {name}")
    try:
        yield (
            postgres_url.rpartition("/")[0] + f"/{name}",
            mysql_url.rpartition("/")[0] + f"/{name}",
        )
    finally:
        admin.execute(f"drop database if exists {name} with (force)")
        admin.close()
        my.cursor().execute(f"drop database if exists {name}")
        my.close()


def fill_source(source_url: str, scale: str, seed: int) -> int:
    """The simulated shop's tables in the source; returns their rows."""
    from vitrina.simulate.base import SimulationParams
    from vitrina.simulate.run import simulate
    from vitrina.source import open_source

    source = open_source(source_url)
    params = SimulationParams(
        seed=seed, scale=scale, start_ms=START_MS, duration_ms=3_600_000, domain="shop"
    )
    try:
        simulate(params, sink=_NoSink(), source=source)
    finally:
        source.close()
    return sum(source_counts(source_url).values())


def source_counts(source_url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(source_url) as con:
        return {t: _scalar(con, f"select count(*) from {t}") for t in SHOP_TABLES}


def _scalar(con: Any, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def touch(source_url: str, every: int, offset: int) -> int:
    """Update the rows of every shop table whose key is ``offset`` modulo ``every``."""
    import psycopg

    from vitrina.contracts.registry import contract_for

    changed = 0
    with psycopg.connect(source_url) as con:
        for table in SHOP_TABLES:
            key = contract_for(table).key_columns()[0]
            cur = con.execute(f"update {table} set {key} = {key} where {key} % {every} = {offset}")
            changed += cur.rowcount
    return changed


def _replicate(source: str, replica: str, engine: str, spark: Any) -> tuple[float, int, float]:
    """(seconds, rows upserted, CPU seconds of this process: every thread, not the servers)."""
    from vitrina.replicate import replicate

    cpu = time.process_time()
    report = replicate(source, replica, engine=engine, tables=SHOP_TABLES, spark=spark)
    return report.elapsed_s, report.upserted, time.process_time() - cpu


def _differing(source: str, replica: str) -> int:
    import psycopg

    from vitrina.replicate.replicas import open_replica
    from vitrina.replicate.verify import differing_rows, source_rows

    con = psycopg.connect(source)
    con.execute("set time zone 'UTC'")
    rep = open_replica(replica)
    try:
        return sum(differing_rows(t, source_rows(con, t), rep.rows(t)) for t in SHOP_TABLES)
    finally:
        con.close()
        rep.close()


def run_replicate_bench(
    postgres_url: str,
    mysql_url: str,
    master: str,
    *,
    scale: str = "medium",
    seed: int = 7,
    fraction: float = 0.01,
    engines: Sequence[str] = ENGINES,
    on_phase: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Every figure as one flat dict (the bench's JSON line); ``engines`` to run only some."""
    if not 0 < fraction <= 0.2:
        raise UsageError(f"--fraction must be in (0, 0.2], not {fraction}")
    unknown = sorted(set(engines) - set(ENGINES))
    if unknown or not engines:
        raise UsageError(f"--engine must be python, spark or both, not {', '.join(unknown)!r}")
    with ExitStack() as stack:
        source, _ = stack.enter_context(scratch_databases(postgres_url, mysql_url))
        replicas = {
            e: stack.enter_context(scratch_databases(postgres_url, mysql_url))[1]
            for e in ENGINES
            if e in engines
        }
        on_phase(f"simulating the {scale} shop into the source")
        out: dict[str, Any] = {"scale": scale, "source_rows": fill_source(source, scale, seed)}
        with _cluster_if("spark" in replicas, master) as spark:
            out |= _runs(source, replicas, spark, fraction, on_phase)
        on_phase("checking the replicas against the source row by row")
        for engine, replica in replicas.items():
            out[f"{engine}_differing_rows"] = _differing(source, replica)
    return out


@contextmanager
def _cluster_if(wanted: bool, master: str) -> Iterator[Any]:
    """A session on the cluster when the spark engine runs (it holds the cluster's cores while
    it lives: only for the runs), else None."""
    if not wanted:
        yield None
        return
    from vitrina.spark.replicate_job import cluster

    with cluster(master, app="vitrina-bench-replicate") as spark:
        yield spark


def _runs(
    source: str,
    replicas: dict[str, str],
    spark: Any,
    fraction: float,
    on_phase: Callable[[str], None],
) -> dict[str, Any]:
    """Full copies, then a change of ``fraction`` (every engine) and of 5 x (python)."""
    out: dict[str, Any] = {}
    for engine, replica in replicas.items():
        on_phase(f"{engine}: full copy")
        seconds, copied, cpu = _replicate(source, replica, engine, spark)
        out |= {f"{engine}_full_s": round(seconds, 3), f"{engine}_full_rows": copied}
        out[f"{engine}_full_client_cpu_s"] = round(cpu, 3)
        out[f"{engine}_full_rows_per_s"] = round(copied / seconds)
    every = round(1 / fraction)
    out["incremental_changed_rows"] = touch(source, every, 1)
    for engine, replica in replicas.items():
        on_phase(f"{engine}: incremental run, {out['incremental_changed_rows']:,} rows changed")
        seconds, copied, _ = _replicate(source, replica, engine, spark)
        out |= {f"{engine}_incremental_s": round(seconds, 3), f"{engine}_incremental_rows": copied}
    if "python" not in replicas:
        return out
    out["incremental_5x_changed_rows"] = sum(touch(source, every, k) for k in range(2, 7))
    on_phase(f"python: incremental run, {out['incremental_5x_changed_rows']:,} rows changed")
    seconds, copied, _ = _replicate(source, replicas["python"], "python", spark)
    out |= {"python_incremental_5x_s": round(seconds, 3), "python_incremental_5x_rows": copied}
    if "spark" in replicas:  # every replica ends at the source
        _replicate(source, replicas["spark"], "spark", spark)
    return out
