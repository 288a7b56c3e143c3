"""`vitrina stream`: the windowing job over event-log files or Kafka; `run_stream` for `run`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from vitrina.config import Settings
from vitrina.errors import UsageError
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
    s = settings.section("stream")
    return WindowSpec(int(s["size"]), int(s["hop"]), int(s["lateness"]), instants=True)


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
    spec = spec_from_settings(settings)
    source = source_url or settings.backend("eventlog")
    sink = sink_url or source
    kafka = settings.section("kafka")
    state_dir = settings.data_dir / "stream"
    marts_url = settings.backend("marts") if marts else None
    idle_ms = int(settings.get("stream", "idle_timeout"))
    scheme = urlsplit(source).scheme
    status_path = state_dir / (
        "status.json"
        if scheme != "kafka"
        else f"status.{group or 'vitrina-stream'}.{instance}.json"
    )
    if scheme == "kafka" and urlsplit(sink).scheme != "kafka":
        raise UsageError("a Kafka source needs a Kafka sink (--to kafka://...) for exactly-once")
    reporter = _Progress(status_path, source, enabled=progress)
    try:
        if scheme == "kafka":
            from vitrina.stream.kafka_job import run_kafka

            counters = run_kafka(
                bootstrap_url=source,
                sink_url=sink,
                marts_url=marts_url,
                spec=spec,
                input_topic=str(kafka["clicks_topic"]),
                output_topic=str(kafka["output_topic"]),
                partitions=int(kafka["partitions"]),
                group=group or "vitrina-stream",
                instance=instance,
                follow=follow,
                idle_timeout_ms=idle_ms,
                on_batch=reporter.update,
                should_stop=should_stop,
                max_batch=max_batch,
            )
        else:
            from vitrina.stream.files_job import run_files

            counters = run_files(
                source_url=source,
                sink_url=sink,
                marts_url=marts_url,
                state_dir=state_dir,
                spec=spec,
                input_topic=str(kafka["clicks_topic"]),
                output_topic=str(kafka["output_topic"]),
                slice_ms=int(settings.get("simulate", "slice")),
                follow=follow,
                idle_timeout_ms=idle_ms,
                on_batch=reporter.update,
                should_stop=should_stop,
            )
    finally:
        reporter.close()
    write_status(status_path, counters, source=source, sink=sink, state="finished")
    return StreamReport(
        source=source,
        sink=sink,
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
