"""The spark_marts job: the four e-commerce marts computed on the cluster from the replica."""

from __future__ import annotations

from urllib.parse import urlsplit

from vitrina.config import Settings
from vitrina.errors import UsageError
from vitrina.pipelines.interval import Interval
from vitrina.spark.marts_job import MartsReport, run_marts

__all__ = ["run"]


def run(
    settings: Settings, interval: Interval | None = None, *, master: str | None = None
) -> MartsReport:
    """Rebuild mart_user_activity, mart_product_rating, mart_user_loyalty_points and
    mart_average_check in the MariaDB replica from its tables, on the cluster at ``master``
    (default: the profile's ``backends.spark``).

    Every mart is rebuilt whole from the replica as it is now (the interval is taken for a
    uniform signature with the other jobs); each one is swapped in atomically.
    """
    replica = settings.backend("replica")
    if urlsplit(replica).scheme != "mysql":
        raise UsageError(
            f"the Spark marts read a mysql:// replica, not {urlsplit(replica).scheme}://"
        )
    from vitrina.spark.replicate_job import cluster

    with cluster(master or settings.backend("spark"), app="vitrina-spark-marts") as spark:
        return run_marts(spark, replica)
