"""The stream job: windowed click counts over what the event log holds, checkpointed."""

from __future__ import annotations

from typing import Any

from vitrina.config import Settings
from vitrina.pipelines.interval import Interval, Report

__all__ = ["run"]


def run(settings: Settings, interval: Interval | None = None, **options: Any) -> Report:
    """Run the stream job once over everything not yet counted (or follow with ``follow=True``).

    A stream has no batch boundaries: its checkpoint says where it stopped, and a window is
    final when the watermark passes its end. So the interval does not cut the input; every
    event that has arrived is counted, those of ``interval`` included. ``options`` are those
    of :func:`vitrina.stream.job.run_stream` (source_url, sink_url, group, marts, ...).
    """
    from vitrina.stream.job import run_stream  # heavy imports only when the job runs

    return run_stream(settings, **{"follow": False, **options})
