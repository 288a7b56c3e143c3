"""The simulate job: settings and an interval -> simulator parameters -> event log + OLTP source."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from vitrina.atomicio import write_atomic
from vitrina.config import Settings
from vitrina.contracts.registry import entities_of
from vitrina.errors import UsageError
from vitrina.eventlog import open_eventlog
from vitrina.pipelines.interval import Interval, default_interval
from vitrina.redact import mask_url
from vitrina.simulate.faults import FaultRates
from vitrina.simulate.presets import PRESETS
from vitrina.simulate.run import (
    DOMAINS,
    SimulationParams,
    SimulationReport,
    selected_domains,
    simulate,
)
from vitrina.simulate.shop.world import history_start_ms
from vitrina.source import open_source
from vitrina.timeutil import check_interval_ms

__all__ = ["fault_manifest_path", "params_from_settings", "run", "run_simulate"]


def params_from_settings(
    settings: Settings, domain: str = "all", interval: Interval | None = None
) -> SimulationParams:
    """The simulator's parameters; without an interval, the one the settings describe."""
    if any(d not in DOMAINS for d in domain.split(",")):
        raise UsageError(f"--domain: unknown domain {domain!r} (allowed: {', '.join(DOMAINS)})")
    sim, f = settings.simulate, settings.faults
    interval = interval or default_interval(settings)
    rates = (
        FaultRates(f.duplicate_rate, f.late_rate, f.malformed_rate, f.violation_rate, f.late_by_ms)
        if f.enabled
        else FaultRates()
    )
    scale = sim.scale
    # Everything simulated lies in the accepted range of instants: the history before the
    # start, the live activity, and the arrivals after the end that event-log slices go by.
    check_interval_ms(
        history_start_ms(PRESETS[scale], interval.start_ms),
        interval.end_ms + rates.max_delay_ms,
        f"simulate: the {scale} scale's history before --start, --duration and late arrivals",
    )
    return SimulationParams(
        seed=sim.seed,
        scale=sim.scale,
        start_ms=interval.start_ms,
        duration_ms=interval.duration_ms,
        slice_ms=sim.slice_ms,
        speed=sim.speed,
        domain=domain,
        faults=rates,
    )


class _TopicNames:
    """Writes the simulator's logical topics under the profile's names (kafka.clicks_topic)."""

    def __init__(self, sink: Any, names: dict[str, str]) -> None:
        self.sink, self.names = sink, names

    def write_slice(self, topic: str, slice_start_ms: int, payload: bytes, keys: Any = None) -> Any:
        return self.sink.write_slice(self.names.get(topic, topic), slice_start_ms, payload, keys)

    def close(self) -> None:
        if hasattr(self.sink, "close"):
            self.sink.close()


def fault_manifest_path(settings: Settings) -> Path:
    return settings.data_dir / "faults" / "manifest.jsonl"


def run(
    settings: Settings,
    interval: Interval | None = None,
    *,
    domain: str = "all",
    to: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> SimulationReport:
    """Simulate ``interval`` (default: the settings' start and duration) into the profile's
    event log (or ``to``) and OLTP source."""
    params = params_from_settings(settings, domain, interval)
    eventlog_url = to or settings.backends.eventlog
    sink = _TopicNames(
        open_eventlog(eventlog_url),
        {
            "clicks": settings.kafka.clicks_topic,
            "registrations": settings.kafka.registrations_topic,
        },
    )
    tables = entities_of("snapshot", selected_domains(domain))
    source = open_source(settings.backends.source) if tables else None
    manifest = fault_manifest_path(settings)
    try:
        report = simulate(
            params,
            sink=sink,
            source=source,
            on_progress=on_progress,
            write_fault_manifest=(lambda b: write_atomic(manifest, b))
            if params.faults.any
            else None,
        )
    finally:
        if source is not None:
            source.close()
        sink.close()
    outputs = {"interval": str(Interval(params.start_ms, params.start_ms + params.duration_ms))}
    outputs["event log"] = mask_url(eventlog_url)
    if source is not None:
        outputs["OLTP source"] = mask_url(settings.backends.source)
    if params.faults.any:
        outputs["fault manifest"] = str(manifest)
    return SimulationReport(
        report.events, report.entities, report.files, report.faults, report.elapsed_s, outputs
    )


# The name other modules and earlier code know this job by.
run_simulate = run
