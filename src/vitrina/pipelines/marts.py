"""The marts job of one domain: ``dbt build`` of its models, then its marts to the marts store."""

from __future__ import annotations

from dataclasses import dataclass

from vitrina.config import Settings
from vitrina.errors import UsageError
from vitrina.pipelines.interval import Interval, Report

__all__ = ["MartsReport", "run"]


@dataclass(frozen=True)
class MartsReport:
    """The dbt build of the domain's models and the publish of the marts."""

    transform: Report
    publish: Report

    def rows(self) -> list[tuple[str, str]]:
        return [*self.transform.rows(), *self.publish.rows()]


def run(settings: Settings, interval: Interval | None = None, *, domain: str = "social") -> Report:
    """Build the models tagged ``domain`` (and their tests), then replace the marts in the marts
    store; serving data is left to its own job.

    The models are rebuilt whole from what the warehouse holds (graph tables included), so the
    interval does not narrow them; it is taken for a uniform signature with the other jobs.
    """
    from vitrina.pipelines import publish, transform
    from vitrina.warehouse.transform import TAGGED_DOMAINS

    if domain not in TAGGED_DOMAINS:
        raise UsageError(
            f"no dbt models are tagged {domain!r} (tagged: {', '.join(TAGGED_DOMAINS)})"
        )
    built = transform.run(settings, interval, select=f"tag:{domain}")
    return MartsReport(built, publish.run(settings, interval, serving=False))
