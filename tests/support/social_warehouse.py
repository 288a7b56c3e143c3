"""Simulated social data loaded straight into a warehouse's clean.social_* tables (for dbt tests)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from vitrina.contracts import validate_table
from vitrina.contracts.registry import DOMAINS
from vitrina.contracts.storage import arrow_schema
from vitrina.simulate.base import HOUR_MS, FaultRates, SimulationParams
from vitrina.simulate.social import simulator
from vitrina.simulate.social.frames import TOPICS
from vitrina.warehouse import Warehouse

START_MS = 1_793_577_600_000  # 2026-11-02T00:00:00Z, a Monday


def social_clean_tables(
    *, scale: str = "tiny", seed: int = 5, hours: int = 12
) -> dict[str, pa.Table]:
    """Every social entity as ingest leaves it in the clean layer: typed, naive UTC times,
    events with the file and line they arrived at."""
    params = SimulationParams(
        seed=seed,
        scale=scale,
        start_ms=START_MS,
        duration_ms=hours * HOUR_MS,
        slice_ms=HOUR_MS,
        domain="social",
        faults=FaultRates(),
    )
    run = simulator().start(params)
    events: dict[str, list[pa.Table]] = {t: [] for t in TOPICS}
    for h in range(hours):
        t0 = START_MS + h * HOUR_MS
        for topic, rows in run.hour(h, t0, t0 + HOUR_MS).items():
            checked = validate_table(topic, TOPICS[topic].frame(rows))
            frame = checked.valid.to_arrow()
            n = frame.num_rows
            arrival = {
                "arrival_file": pa.array([f"{topic}/{h:04d}.jsonl"] * n, pa.string()),
                "arrival_line": pa.array(range(1, n + 1), pa.int64()),
            }
            events[topic].append(
                _naive(frame, topic)
                .append_column("arrival_file", arrival["arrival_file"])
                .append_column("arrival_line", arrival["arrival_line"])
            )
    snapshots, _ = run.snapshots(0.0)
    tables = {name: _naive(t, name) for name, t in snapshots.items()}
    for topic, parts in events.items():
        tables[topic] = pa.concat_tables(parts)
    assert set(tables) == set(DOMAINS["social"])
    return tables


def _naive(table: pa.Table, entity: str) -> pa.Table:
    """The columns of the entity's contract, times as naive UTC (as the clean layer keeps them)."""
    schema = arrow_schema(entity)
    columns = []
    for field in schema:
        col = table.column(field.name)
        if pa.types.is_timestamp(field.type) and getattr(col.type, "tz", None):
            col = pc.cast(col, pa.timestamp("ms", tz="UTC")).cast(pa.timestamp("ms"))
        columns.append(col.cast(field.type))
    return pa.table(columns, schema=schema)


def load_social(wh: Warehouse, tables: dict[str, pa.Table]) -> dict[str, int]:
    """Replace the clean.social_* tables with ``tables``; returns the rows per table."""
    counts = {}
    wh.ensure_schema("clean")
    for name, table in tables.items():
        wh.execute(f'drop table if exists clean."{name}"')
        wh.ensure_table("clean", name, table.schema)
        counts[name] = wh.load_arrow("clean", name, table) if table.num_rows else 0
    return counts
