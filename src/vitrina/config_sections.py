"""The typed sections of the resolved settings, one frozen dataclass per vitrina.toml table."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "BackendSettings",
    "FaultSettings",
    "IngestSettings",
    "KafkaSettings",
    "ScoringSettings",
    "SimulateSettings",
    "StreamSettings",
]


@dataclass(frozen=True)
class BackendSettings:
    """``[backends]``: one URL per role (see :data:`ROLES`), ``{data_dir}`` expanded."""

    eventlog: str
    source: str
    replica: str
    warehouse: str
    marts: str
    graph: str
    serving: str
    alerts: str
    objectstore: str
    spark: str  # local:// (embedded engines only) or the cluster's spark:// master


@dataclass(frozen=True)
class SimulateSettings:
    """``[simulate]``: what the simulator generates and how fast."""

    scale: str
    seed: int
    start: str  # "now" or an ISO-8601 instant; pipelines.interval turns it into an Interval
    duration_ms: int
    speed: float
    slice_ms: int


@dataclass(frozen=True)
class FaultSettings:
    """``[faults]``: the faults the simulator injects when enabled."""

    enabled: bool
    duplicate_rate: float
    late_rate: float
    malformed_rate: float
    violation_rate: float
    late_by_ms: int


@dataclass(frozen=True)
class StreamSettings:
    """``[stream]``: the windows of the stream job."""

    size_ms: int
    hop_ms: int
    lateness_ms: int
    idle_timeout_ms: int


@dataclass(frozen=True)
class KafkaSettings:
    """``[kafka]``: topic names (used on every event log, files too) and partitions."""

    partitions: int
    clicks_topic: str
    registrations_topic: str
    output_topic: str


@dataclass(frozen=True)
class ScoringSettings:
    """``[scoring]``: the top-products score."""

    click_weight: float
    units_weight: float
    top_n: int


@dataclass(frozen=True)
class IngestSettings:
    """``[ingest]``: options for people bringing their own data (all off by default)."""

    status_map: dict[str, str] = field(default_factory=dict)  # your status name -> ours
    naive_as_utc: bool = False  # read timestamps without a zone as UTC
    round_money: bool = False  # round money with more than 2 places to cents
    mapping: str = ""  # a mapping file (entity and column renames, surrogate keys)
