"""Simulated worlds shared by the simulator tests (each built once per session)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from vitrina.eventlog import FileEventLog
from vitrina.simulate.faults import FaultRates
from vitrina.simulate.run import SimulationParams, SimulationReport, simulate
from vitrina.source import ENTITY_TABLES, open_source

START_MS = 1_793_577_600_000  # 2026-11-02T00:00:00Z, a Monday


@dataclass
class Sim:
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


@pytest.fixture(scope="session")
def tiny_day(tmp_path_factory: pytest.TempPathFactory) -> Sim:
    return run_sim(tmp_path_factory.mktemp("tiny"), scale="tiny", hours=24)


@pytest.fixture(scope="session")
def classic_day(tmp_path_factory: pytest.TempPathFactory) -> Sim:
    return run_sim(tmp_path_factory.mktemp("classic"), scale="classic", hours=24, seed=11)


@pytest.fixture(scope="session")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Sim:
    rates = FaultRates(
        duplicate=0.02, late=0.02, malformed=0.01, violation=0.02, late_by_ms=600_000
    )
    return run_sim(
        tmp_path_factory.mktemp("faulty"), scale="classic", hours=6, seed=5, faults=rates
    )
