"""Run the social simulator through the driver's slice writer into a file event log (for tests)."""

from __future__ import annotations

import functools
import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import polars as pl
import pyarrow as pa

from vitrina.eventlog import FileEventLog
from vitrina.simulate.base import HOUR_MS, FaultRates, SimulationParams
from vitrina.simulate.run import _SliceWriter
from vitrina.simulate.social import simulator

START_MS = 1_793_577_600_000  # 2026-11-02T00:00:00Z, a Monday


@dataclass
class SocialSim:
    root: Path
    log: FileEventLog
    arrow: dict[str, pa.Table]
    manifest: list[dict[str, Any]]
    end_ms: int
    counts: dict[str, int] = field(default_factory=dict)

    def topic_bytes(self, topic: str) -> bytes:
        return b"".join(self.log.read(f) for f in self.log.list(topic))

    def events(self, topic: str) -> pl.DataFrame:
        lines = [orjson.loads(x) for x in self.topic_bytes(topic).splitlines()]
        return pl.DataFrame(lines) if lines else pl.DataFrame()

    def table(self, entity: str) -> pl.DataFrame:
        return pl.from_arrow(self.arrow[entity])  # type: ignore[return-value]

    def digest(self) -> str:
        h = hashlib.sha256()
        for topic in sorted(simulator().topics):
            h.update(topic.encode() + self.topic_bytes(topic))
        for name in sorted(self.arrow):
            h.update(name.encode() + self.table(name).write_csv().encode())
        return h.hexdigest()


def run_social(
    root: Path,
    *,
    scale: str = "tiny",
    seed: int = 3,
    hours: int = 6,
    slice_ms: int = HOUR_MS,
    faults: FaultRates | None = None,
) -> SocialSim:
    """The driver's hour loop (``vitrina.simulate.run.simulate``) for the social domain alone."""
    params = SimulationParams(
        seed=seed,
        scale=scale,
        start_ms=START_MS,
        duration_ms=hours * HOUR_MS,
        slice_ms=slice_ms,
        domain="social",
        faults=faults or FaultRates(),
    )
    sim = simulator()
    run = sim.start(params)
    log = FileEventLog(str(root / "events"))
    manifest: list[dict[str, Any]] = []
    writers = {
        t: _SliceWriter(log, spec, slice_ms, seed, params.faults, manifest)
        for t, spec in sim.topics.items()
    }
    for h in range(hours):
        t0 = START_MS + h * HOUR_MS
        for topic, rows in run.hour(h, t0, t0 + HOUR_MS).items():
            writers[topic].add(h, rows)
        for w in writers.values():
            w.flush(t0 + HOUR_MS if h < hours - 1 else None)
    tables, snapshot_faults = run.snapshots(params.faults.violation)
    manifest += snapshot_faults
    counts = {t: w.events for t, w in writers.items()}
    return SocialSim(root, log, tables, manifest, START_MS + hours * HOUR_MS, counts)


@functools.cache
def social_day(scale: str, seed: int = 11) -> SocialSim:
    """One clean simulated day at ``scale``, built once per test session."""
    return run_social(
        Path(tempfile.mkdtemp(prefix=f"social-{scale}-")), scale=scale, seed=seed, hours=24
    )
