"""The application ``spark-submit`` runs for a vitrina job on the cluster (Airflow's tasks).

``spark-submit [options] .../vitrina/spark/submit.py replicate|marts``: the session comes from
spark-submit (its master, ``--packages`` with the JDBC drivers, ``--conf``); the backends come
from the vitrina profile in the environment, as for every job. The report's lines go to
stdout (the task's log); a failure exits non-zero, so the task is red.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["JOBS", "jdbc_packages", "main"]

JOBS = ("replicate", "marts")


def jdbc_packages() -> str:
    """``--packages`` for spark-submit: the JDBC drivers, resolved from Maven Central."""
    from vitrina.spark.jars import JDBC_DRIVERS

    return ",".join(":".join(coordinates) for coordinates in JDBC_DRIVERS)


def _run(job: str, spark: Any) -> list[tuple[str, str]]:
    from vitrina.config import load_settings

    settings = load_settings()
    if job == "replicate":
        from vitrina.replicate import replicate

        source, replica = settings.backend("source"), settings.backend("replica")
        return replicate(source, replica, engine="spark", spark=spark).rows()
    from vitrina.spark.marts_job import run_marts

    return run_marts(spark, settings.backend("replica")).rows()


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in JOBS:
        print(f"usage: spark-submit submit.py {'|'.join(JOBS)}", file=sys.stderr)
        return 2
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName(f"vitrina-{argv[0]}").getOrCreate()
    try:
        for what, value in _run(argv[0], spark):
            print(f"{what}: {value}")
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
