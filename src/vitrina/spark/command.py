"""spark-submit for vitrina's Spark applications: the command line and the cluster settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

__all__ = ["CLUSTER_CONF", "STREAM_CONF", "cluster_master", "spark_submit", "submit_command"]

# Settings every vitrina job on the cluster uses: UTC everywhere (JDBC drivers convert
# timestamps in the JVM's zone), the driver on 127.0.0.1, small executors, no UI.
_UTC = "-Duser.timezone=UTC"
CLUSTER_CONF: Final[Mapping[str, str]] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.extraJavaOptions": _UTC,
    "spark.executor.extraJavaOptions": _UTC,
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.executor.memory": "512m",
    "spark.cores.max": "2",
    "spark.sql.shuffle.partitions": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}
# A long-running stream takes one core and leaves the other worker to the batch jobs.
STREAM_CONF: Final[Mapping[str, str]] = {**CLUSTER_CONF, "spark.cores.max": "1"}


def cluster_master(master: str) -> str:
    """``master`` if it is a standalone cluster's ``spark://`` URL, else a usage error."""
    from vitrina.errors import UsageError

    if not master.startswith("spark://"):
        raise UsageError(
            f"the Spark engine runs on a Spark cluster (backends.spark = spark://host:7077, "
            f"the stack profile), not {master}"
        )
    return master


def spark_submit() -> Path:
    """The spark-submit script of the installed pyspark (the cluster runs the same version)."""
    import pyspark

    return Path(pyspark.__file__).parent / "bin" / "spark-submit"


def submit_command(
    master: str,
    application: Path,
    arguments: Sequence[str],
    *,
    name: str,
    jars: Sequence[Path] = (),
    conf: Mapping[str, str] = CLUSTER_CONF,
) -> list[str]:
    """The spark-submit command running ``application`` (a Python file) on ``master``."""
    command = [str(spark_submit()), "--master", master, "--name", name]
    if jars:
        command += ["--jars", ",".join(str(j) for j in jars)]
    for key, value in sorted(conf.items()):
        command += ["--conf", f"{key}={value}"]
    return [*command, str(application), *arguments]
