"""The replicate job: the OLTP source's changes into the replica (python or spark engine)."""

from __future__ import annotations

from vitrina.config import Settings
from vitrina.pipelines.interval import Interval
from vitrina.replicate import ReplicationReport, replicate

__all__ = ["run"]


def run(
    settings: Settings,
    interval: Interval | None = None,
    *,
    engine: str = "python",
    master: str | None = None,
) -> ReplicationReport:
    """Bring the replica up to the source as of now.

    Replication is incremental by its own high-water marks, not by the interval: a run for
    any interval copies whatever changed since the last one (the interval is taken for a
    uniform signature with the other jobs). ``engine="spark"`` reads on the cluster at
    ``master`` (default: the profile's ``backends.spark``).
    """
    source, replica = settings.backend("source"), settings.backend("replica")
    if engine != "spark":
        return replicate(source, replica, engine=engine)
    from vitrina.spark.replicate_job import cluster

    with cluster(master or settings.backend("spark"), app="vitrina-replicate") as spark:
        return replicate(source, replica, engine="spark", spark=spark)
