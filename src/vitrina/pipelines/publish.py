"""The publish job: warehouse marts to the marts store, top products and recommendations to serving."""

from __future__ import annotations

from vitrina.config import Settings
from vitrina.pipelines.interval import Interval, Report

__all__ = ["run"]


def run(settings: Settings, interval: Interval | None = None, *, serving: bool = True) -> Report:
    """Publish what the last transform built; serving data is swapped atomically.

    Like transform, publish works on the whole marts, so the interval does not narrow it.
    ``serving=False`` publishes the marts only: on Airflow the serving set belongs to the
    recommendation_pipeline DAG alone, so two schedules never swap it in turn.
    """
    from vitrina.marts.publish import run_publish

    return run_publish(settings, serving=serving)
