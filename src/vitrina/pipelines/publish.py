"""The publish job: warehouse marts to the marts store, top products and recommendations to serving."""

from __future__ import annotations

from vitrina.config import Settings
from vitrina.pipelines.interval import Interval, Report

__all__ = ["run"]


def run(settings: Settings, interval: Interval | None = None) -> Report:
    """Publish what the last transform built; serving data is swapped atomically.

    Like transform, publish works on the whole marts, so the interval does not narrow it.
    """
    from vitrina.marts.publish import run_publish

    return run_publish(settings)
