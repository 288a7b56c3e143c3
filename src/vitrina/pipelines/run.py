"""``vitrina run``: the main job, every step in order on the profile's backends."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vitrina.config import Settings
from vitrina.pipelines.simulate import run_simulate

__all__ = ["STEPS", "RunReport", "run_all"]

log = logging.getLogger(__name__)


@dataclass
class RunReport:
    """What each step reported, and how long it took."""

    steps: list[tuple[str, Any, float]] = field(default_factory=list)
    elapsed_s: float = 0.0

    def rows(self) -> list[tuple[str, str]]:
        """Every figure of every step, ``step.what`` -> value."""
        out: list[tuple[str, str]] = []
        for name, report, seconds in self.steps:
            out.append((name, f"{seconds:.2f} s"))
            out += [(f"{name}.{k}", v) for k, v in report.rows()]
        out.append(("total elapsed", f"{self.elapsed_s:.2f} s"))
        return out


def _simulate(settings: Settings, progress: Callable[[int, int], None] | None) -> Any:
    return run_simulate(settings, domain="all", on_progress=progress)


def _stream(settings: Settings, progress: Callable[[int, int], None] | None) -> Any:
    from vitrina.stream.job import run_stream

    return run_stream(settings, follow=False)


def _ingest(settings: Settings, progress: Callable[[int, int], None] | None) -> Any:
    from vitrina.ingest.run import run_ingest

    return run_ingest(settings)


def _transform(settings: Settings, progress: Callable[[int, int], None] | None) -> Any:
    from vitrina.warehouse.transform import run_transform

    return run_transform(settings)


def _publish(settings: Settings, progress: Callable[[int, int], None] | None) -> Any:
    from vitrina.marts.publish import run_publish

    return run_publish(settings)


# The steps of the main job, in order. Each takes the settings and an optional progress callback.
STEPS: list[tuple[str, Callable[[Settings, Callable[[int, int], None] | None], Any]]] = [
    ("simulate", _simulate),
    ("stream", _stream),
    ("ingest", _ingest),
    ("transform", _transform),
    ("publish", _publish),
]


def run_all(
    settings: Settings, *, on_step: Callable[[str], Callable[[int, int], None] | None] | None = None
) -> RunReport:
    """Run every step; a failing step raises and stops the run (later steps need its output)."""
    report = RunReport()
    t0 = time.perf_counter()
    for name, step in STEPS:
        t = time.perf_counter()
        progress = on_step(name) if on_step else None
        log.info("step %s", name)
        result = step(settings, progress)
        report.steps.append((name, result, time.perf_counter() - t))
    report.elapsed_s = time.perf_counter() - t0
    return report
