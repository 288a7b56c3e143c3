"""`vitrina stream`: the windowing job over event-log files or Kafka; `run_stream` for `run`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vitrina.config import Settings
from vitrina.errors import UsageError
from vitrina.eventlog import EventLog, open_eventlog
from vitrina.redact import mask_url
from vitrina.stream.engine import WindowSpec
from vitrina.stream.sinks import Counters, write_status
from vitrina.timeutil import format_ts_ms

__all__ = ["StreamReport", "run_stream", "spec_from_settings"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StreamReport:
    """What one run of the stream job did."""

    source: str
    sink: str
    inputs: int
    events: int
    clicks_counted: int
    windows: int
    late: int
    malformed: int
    violations: int
    dead_letters: int
    open_cells: int
    watermark: str | None
    status_file: str

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("source", self.source),
            ("sink", self.sink),
            ("inputs (files or polls)", f"{self.inputs:,}"),
            ("events", f"{self.events:,}"),
            ("clicks counted", f"{self.clicks_counted:,}"),
            ("windows emitted", f"{self.windows:,}"),
            ("late events", f"{self.late:,}"),
            ("malformed lines", f"{self.malformed:,}"),
            ("contract violations", f"{self.violations:,}"),
            ("dead letters", f"{self.dead_letters:,}"),
            ("open window cells", f"{self.open_cells:,}"),
            ("watermark", self.watermark or "-"),
            ("status file", self.status_file),
        ]


def spec_from_settings(settings: Settings) -> WindowSpec:
    s = settings.stream
    return WindowSpec(s.size_ms, s.hop_ms, s.lateness_ms, instants=True)


@dataclass(frozen=True)
class _Job:
    """One run's parameters, as both stream jobs take them."""

    source: EventLog
    sink: EventLog
    marts_url: str | None
    state_dir: Path
    spec: WindowSpec
    input_topic: str
    output_topic: str
    partitions: int
    slice_ms: int
    group: str
    instance: int
    follow: bool
    idle_timeout_ms: int
    on_batch: Callable[[Counters], None]
    should_stop: Callable[[], bool] | None
    max_batch: int


def _on_files(job: _Job) -> Counters:
    from vitrina.stream.files_job import run_files

    return run_files(
        source_url=job.source.url,
        sink_url=job.sink.url,
        marts_url=job.marts_url,
        state_dir=job.state_dir,
        spec=job.spec,
        input_topic=job.input_topic,
        output_topic=job.output_topic,
        slice_ms=job.slice_ms,
        follow=job.follow,
        idle_timeout_ms=job.idle_timeout_ms,
        on_batch=job.on_batch,
        should_stop=job.should_stop,
    )


def _on_kafka(job: _Job) -> Counters:
    from vitrina.stream.kafka_job import run_kafka

    if job.sink.kind != "kafka":
        raise UsageError("a Kafka source needs a Kafka sink (--to kafka://...) for exactly-once")
    return run_kafka(
        bootstrap_url=job.source.url,
        sink_url=job.sink.url,
        marts_url=job.marts_url,
        spec=job.spec,
        input_topic=job.input_topic,
        output_topic=job.output_topic,
        partitions=job.partitions,
        group=job.group,
        instance=job.instance,
        follow=job.follow,
        idle_timeout_ms=job.idle_timeout_ms,
        on_batch=job.on_batch,
        should_stop=job.should_stop,
        max_batch=job.max_batch,
    )


# One stream job per family of event log (EventLog.kind), and the name of its status file:
# files are checkpointed by one process; Kafka instances of a group run side by side.
_JOBS: dict[str, tuple[Callable[[_Job], Counters], str]] = {
    "files": (_on_files, "status.json"),
    "kafka": (_on_kafka, "status.{group}.{instance}.json"),
}


def run_stream(
    settings: Settings,
    *,
    follow: bool = False,
    source_url: str | None = None,
    sink_url: str | None = None,
    group: str | None = None,
    instance: int = 0,
    marts: bool = True,
    progress: bool = False,
    should_stop: Callable[[], bool] | None = None,
    max_batch: int = 100_000,
) -> StreamReport:
    """Run the stream job. ``follow=False`` processes what is there, flushes and returns."""
    source = open_eventlog(source_url or settings.backend("eventlog"))
    sink = source if not sink_url or sink_url == source.url else open_eventlog(sink_url)
    if source.kind not in _JOBS:
        raise UsageError(f"no stream job reads a {source.kind} event log")
    run, status_name = _JOBS[source.kind]
    kafka = settings.kafka
    state_dir = settings.data_dir / "stream"
    group = group or "vitrina-stream"
    status_path = state_dir / status_name.format(group=group, instance=instance)
    shown_source, shown_sink = mask_url(source.url), mask_url(sink.url)
    reporter = _Progress(status_path, shown_source, enabled=progress)
    try:
        counters = run(
            _Job(
                source=source,
                sink=sink,
                marts_url=settings.backend("marts") if marts else None,
                state_dir=state_dir,
                spec=spec_from_settings(settings),
                input_topic=kafka.clicks_topic,
                output_topic=kafka.output_topic,
                partitions=kafka.partitions,
                slice_ms=settings.simulate.slice_ms,
                group=group,
                instance=instance,
                follow=follow,
                idle_timeout_ms=settings.stream.idle_timeout_ms,
                on_batch=reporter.update,
                should_stop=should_stop,
                max_batch=max_batch,
            )
        )
    finally:
        reporter.close()
    write_status(status_path, counters, source=shown_source, sink=shown_sink, state="finished")
    return StreamReport(
        source=shown_source,
        sink=shown_sink,
        inputs=counters.inputs,
        events=counters.events,
        clicks_counted=counters.counted,
        windows=counters.windows,
        late=counters.late,
        malformed=counters.malformed,
        violations=counters.violations,
        dead_letters=counters.dead_letters,
        open_cells=counters.open_cells,
        watermark=None if counters.watermark_ms is None else format_ts_ms(counters.watermark_ms),
        status_file=str(status_path),
    )


class _Progress:
    """Counters in a Rich status line on stderr (when enabled) and in the status file."""

    def __init__(self, status_path: Path, source: str, *, enabled: bool) -> None:
        self.status_path = status_path
        self.source = source
        self._status = None
        if enabled:
            from rich.console import Console

            self._status = Console(stderr=True).status(f"stream {source}: starting")
            self._status.start()

    def update(self, counters: Counters) -> None:
        write_status(self.status_path, counters, source=self.source, state="running")
        if self._status is not None:
            self._status.update(f"stream {self.source}: {counters.line()}")

    def close(self) -> None:
        if self._status is not None:
            self._status.stop()
