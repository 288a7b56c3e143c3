"""``vitrina run``: the main job, every step in order on the profile's backends."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from vitrina.config import Settings
from vitrina.contracts.registry import pipeline_domains
from vitrina.errors import UsageError
from vitrina.pipelines import graph, ingest, publish, simulate, stream, transform
from vitrina.pipelines.interval import Interval, Report, default_interval
from vitrina.replicate import ENGINES

__all__ = ["ENGINES", "SPARK_STEPS", "STEPS", "RunReport", "check_engine", "run", "run_all"]

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


class Step(Protocol):
    """One step of the main job; ``domain`` (``all``, ``shop``, ``social``) chooses its data."""

    def __call__(
        self,
        settings: Settings,
        interval: Interval,
        progress: Progress | None,
        /,
        *,
        domain: str = ...,
    ) -> Report: ...


@dataclass
class RunReport:
    """What each step reported, and how long it took."""

    interval: Interval | None = None
    domain: str = "all"
    steps: list[tuple[str, Report, float]] = field(default_factory=list)
    elapsed_s: float = 0.0

    def rows(self) -> list[tuple[str, str]]:
        """Every figure of every step, ``step.what`` -> value."""
        out: list[tuple[str, str]] = []
        if self.interval is not None:
            out.append(("interval", str(self.interval)))
        for name, report, seconds in self.steps:
            out.append((name, f"{seconds:.2f} s"))
            out += [(f"{name}.{k}", v) for k, v in report.rows()]
        out.append(("total elapsed", f"{self.elapsed_s:.2f} s"))
        return out


def _simulate(
    settings: Settings, interval: Interval, progress: Progress | None, /, *, domain: str = "all"
) -> Report:
    chosen = ",".join(pipeline_domains(domain))  # shop: with its clickstream
    return simulate.run(settings, interval, domain=chosen, on_progress=progress)


# The stream job, dbt and publish cover every domain whatever ``domain`` says: each reads only
# what the warehouse and event log hold, so a one-domain run leaves the others as they were.
def _stream(
    settings: Settings, interval: Interval, progress: Progress | None, /, *, domain: str = "all"
) -> Report:
    return stream.run(settings, interval)


def _ingest(
    settings: Settings, interval: Interval, progress: Progress | None, /, *, domain: str = "all"
) -> Report:
    # What simulate just wrote is exactly what the ingest consumer has not read yet; reading
    # "what is pending" also picks up slices an interrupted earlier run left behind.
    return ingest.run(settings, domain=domain)


@dataclass(frozen=True)
class _Skipped:
    reason: str

    def rows(self) -> list[tuple[str, str]]:
        return [("skipped", self.reason)]


def _graph(
    settings: Settings, interval: Interval, progress: Progress | None, /, *, domain: str = "all"
) -> Report:
    # Before transform, so one dbt build makes every mart, the social ones from graph.*.
    from vitrina.warehouse import open_warehouse

    with open_warehouse(settings.backend("warehouse")) as wh:
        if not graph.has_social_data(wh):
            return _Skipped("no social data")
    return graph.run(settings, interval)


def _transform(
    settings: Settings, interval: Interval, progress: Progress | None, /, *, domain: str = "all"
) -> Report:
    return transform.run(settings, interval)


def _publish(
    settings: Settings, interval: Interval, progress: Progress | None, /, *, domain: str = "all"
) -> Report:
    return publish.run(settings, interval)


# The steps of the main job, in order: each takes the settings, the interval and an optional
# progress callback.
STEPS: list[tuple[str, Step]] = [
    ("simulate", _simulate),
    ("stream", _stream),
    ("ingest", _ingest),
    ("graph", _graph),
    ("transform", _transform),
    ("publish", _publish),
]


def _replicate(
    settings: Settings, interval: Interval, progress: Progress | None, /, *, domain: str = "all"
) -> Report:
    from vitrina.pipelines import replicate

    return replicate.run(settings, interval, engine="spark")


def _spark_marts(
    settings: Settings, interval: Interval, progress: Progress | None, /, *, domain: str = "all"
) -> Report:
    from vitrina.pipelines import spark_marts

    return spark_marts.run(settings, interval)


# With ``engine="spark"``: after the steps above, the source into the MariaDB replica on the
# cluster, then the e-commerce marts computed on the cluster from the replica.
SPARK_STEPS: list[tuple[str, Step]] = [("replicate", _replicate), ("spark_marts", _spark_marts)]


def check_engine(settings: Settings, engine: str) -> None:
    """A one-line error unless ``engine`` can run on the profile (spark: the cluster)."""
    if engine not in ENGINES:
        raise UsageError(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    master, replica = settings.backend("spark"), settings.backend("replica")
    if engine == "spark" and not master.startswith("spark://"):
        raise UsageError(
            f"--engine spark needs the Spark cluster of the stack profile "
            f"(backends.spark is {master}); use --profile stack"
        )
    if engine == "spark" and not replica.startswith("mysql://"):
        raise UsageError("--engine spark needs a mysql:// replica (backends.replica)")


def run(
    settings: Settings,
    interval: Interval | None = None,
    *,
    on_step: Callable[[str], Progress | None] | None = None,
    domain: str = "all",
    engine: str = "python",
) -> RunReport:
    """Run every step for ``interval`` (default: the settings' simulate.start and duration).

    ``domain`` (``all``, ``shop``, ``social``) is what simulate and ingest produce and read.
    ``engine="spark"`` adds replication and the e-commerce marts on the Spark cluster.
    A failing step raises and stops the run: later steps need its output.
    """
    check_engine(settings, engine)
    interval = interval or default_interval(settings)
    report = RunReport(interval=interval, domain=domain)
    t0 = time.perf_counter()
    for name, step in STEPS + (SPARK_STEPS if engine == "spark" else []):
        t = time.perf_counter()
        progress = on_step(name) if on_step else None
        log.info("step %s for %s", name, interval)
        result = step(settings, interval, progress, domain=domain)
        report.steps.append((name, result, time.perf_counter() - t))
    report.elapsed_s = time.perf_counter() - t0
    return report


# The name the CLI and earlier code know the main job by.
run_all = run
