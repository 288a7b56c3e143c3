"""The transform job: ``dbt build`` of the warehouse models and their tests."""

from __future__ import annotations

from vitrina.config import Settings
from vitrina.pipelines.interval import Interval, Report

__all__ = ["run"]


def run(
    settings: Settings, interval: Interval | None = None, *, select: str | None = None
) -> Report:
    """Build every model (or ``select``) from all the warehouse holds.

    The models are rebuilt whole, so the result for an interval is the result for all data
    loaded up to it; the interval is taken for a uniform signature with the other jobs.
    """
    from vitrina.warehouse.transform import run_transform

    return run_transform(settings, select=select)
