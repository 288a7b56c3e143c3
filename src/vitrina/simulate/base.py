"""What a domain's simulator gives the driver: its topics, and a run that advances hour by hour."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import polars as pl
import pyarrow as pa

from vitrina.contracts.registry import domain_for

__all__ = [
    "COPY_DELAY_MS",
    "DAY_MS",
    "HOUR_MS",
    "FaultRates",
    "SimulationParams",
    "Simulator",
    "Table",
    "Topic",
    "Violation",
    "WorldRun",
    "concat",
    "simulator_for",
]

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
COPY_DELAY_MS = 120_000  # a duplicate copy arrives up to this long after the original

# A table as numpy columns; columns starting with ``_`` are internal and never written.
Table = dict[str, np.ndarray]

# A way to break one field of an event: (field, what the manifest says, the broken value).
Violation = tuple[str, str, pl.Expr]


def concat(a: Table, b: Table) -> Table:
    """The rows of ``a`` then those of ``b`` (the columns of ``a``)."""
    return {k: np.concatenate([a[k], b[k]]) for k in a}


@dataclass(frozen=True)
class FaultRates:
    duplicate: float = 0.0
    late: float = 0.0
    malformed: float = 0.0
    violation: float = 0.0
    late_by_ms: int = 600_000

    @property
    def any(self) -> bool:
        return max(self.duplicate, self.late, self.malformed, self.violation) > 0

    @property
    def max_delay_ms(self) -> int:
        """The longest an event may arrive after its time (event-log slices go by arrival)."""
        late = 2 * self.late_by_ms if self.late > 0 else 0
        return max(late, COPY_DELAY_MS if self.duplicate > 0 else 0)


@dataclass(frozen=True)
class SimulationParams:
    seed: int
    scale: str
    start_ms: int
    duration_ms: int
    slice_ms: int = HOUR_MS
    speed: float = 0.0
    domain: str = "all"
    faults: FaultRates = field(default_factory=FaultRates)


@dataclass(frozen=True)
class Topic:
    """How one event entity leaves the simulator: rows (numpy columns) to a contract-shaped frame.

    ``jsonl`` is an optional faster writer giving the same bytes as the frame's JSON Lines, or
    None when it cannot; ``key`` names the column whose value keys each message.
    """

    entity: str
    frame: Callable[[Table], pl.DataFrame]
    violations: tuple[Violation, ...]
    key: str | None = None
    jsonl: Callable[[Table], bytes | None] | None = None


class WorldRun(Protocol):
    """One simulated world from ``--start`` on; the driver calls ``hour`` for each hour, in order."""

    def hour(self, index: int, t0_ms: int, t1_ms: int) -> dict[str, Table]:
        """Events of the hour by topic; each table has ``ts`` and ``event_id`` columns."""
        ...

    def snapshots(
        self, violation_rate: float
    ) -> tuple[dict[str, pa.Table], list[dict[str, object]]]:
        """The snapshot tables at the end (for the OLTP source) and the faults injected in them."""
        ...


class Simulator(Protocol):
    """A world generator; one world may feed several domains (the shop's makes the clicks too)."""

    topics: dict[str, Topic]

    def start(self, params: SimulationParams) -> WorldRun: ...


def simulator_for(domain: str) -> Simulator:
    """The simulator of a domain: ``simulator()`` of the package ``vitrina.simulate.<domain>``."""
    name = domain_for(domain).name  # an unknown domain is a usage error naming the known ones
    module = importlib.import_module(f"vitrina.simulate.{name}")
    simulator: Simulator = module.simulator()
    return simulator
