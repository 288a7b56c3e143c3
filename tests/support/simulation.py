"""Simulated worlds for tests: run the simulator into a folder and keep what it wrote."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from vitrina.eventlog import FileEventLog
from vitrina.simulate.faults import FaultRates
from vitrina.simulate.run import SimulationParams, SimulationReport, simulate
from vitrina.source import ENTITY_TABLES, open_source

START_MS = 1_793_577_600_000  # 2026-11-02T00:00:00Z, a Monday


@dataclass
class Sim:
    """One simulated run: its folder, report, event log and the source tables it left."""

    root: Path
    report: SimulationReport
    log: FileEventLog
    tables: dict[str, pl.DataFrame]

    def topic_bytes(self, topic: str) -> bytes:
        return b"".join(self.log.read(f) for f in self.log.list(topic))


def run_sim(
    root: Path,
    *,
    scale: str = "tiny",
    seed: int = 3,
    hours: int = 6,
    slice_ms: int = 3_600_000,
    faults: FaultRates | None = None,
) -> Sim:
    log = FileEventLog(str(root / "events"))
    src = open_source(f"duckdb://{root}/source.duckdb")
    manifest = root / "faults.jsonl"
    try:
        report = simulate(
            SimulationParams(
                seed=seed,
                scale=scale,
                start_ms=START_MS,
                duration_ms=hours * 3_600_000,
                slice_ms=slice_ms,
                faults=faults or FaultRates(),
            ),
            sink=log,
            source=src,
            write_fault_manifest=manifest.write_bytes,
        )
        tables = {t: pl.from_arrow(src.read_table(t)) for t in ENTITY_TABLES}
    finally:
        src.close()
    return Sim(root, report, log, tables)  # type: ignore[arg-type]
