"""The transform job: ``dbt build`` of the warehouse models and their tests."""

from __future__ import annotations

import logging

from vitrina.config import Settings
from vitrina.pipelines.interval import Interval, Report

__all__ = ["run"]

log = logging.getLogger(__name__)


def run(
    settings: Settings, interval: Interval | None = None, *, select: str | None = None
) -> Report:
    """Build every model (or ``select``) from all the warehouse holds.

    The models are rebuilt whole, so the result for an interval is the result for all data
    loaded up to it; the interval is taken for a uniform signature with the other jobs.
    """
    from vitrina.warehouse.transform import run_transform

    _graph_first(settings)
    return run_transform(settings, select=select)


def _graph_first(settings: Settings) -> None:
    """Compute the graph when the social marts need it and it was never computed.

    The social marts read the graph job's tables; a warehouse with social data but no graph
    yet (a user running `vitrina transform` after `vitrina ingest --domain social`) gets them
    here instead of a dbt error about a missing relation.
    """
    from vitrina.pipelines import graph
    from vitrina.warehouse import open_warehouse

    with open_warehouse(settings.backend("warehouse")) as wh:
        missing = graph.has_social_data(wh) and not wh.columns(graph.GRAPH_SCHEMA, "summary")
    if missing:
        log.info("transform: no graph tables yet: running the graph job first")
        graph.run(settings)
