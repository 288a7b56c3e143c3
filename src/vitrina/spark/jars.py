"""Jars Spark jobs need (the Kafka connector, JDBC drivers), fetched with mvn into a local cache."""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from vitrina.errors import BackendError

__all__ = [
    "CONNECTOR",
    "JARS_CACHE",
    "JDBC_DRIVERS",
    "connector_version",
    "jdbc_driver_jars",
    "kafka_connector_jars",
]

log = logging.getLogger(__name__)

CONNECTOR = "spark-sql-kafka-0-10_2.13"
# Where fetched jars are kept between runs (mvn's own repository sits in ~/.m2 besides).
JARS_CACHE = Path.home() / ".cache" / "vitrina" / "spark-jars"
# JDBC drivers for replication (group, artifact, version): releases on Maven Central.
JDBC_DRIVERS = (
    ("org.postgresql", "postgresql", "42.7.8"),
    ("org.mariadb.jdbc", "mariadb-java-client", "3.5.6"),
)
_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>vitrina</groupId><artifactId>spark-kafka-jars</artifactId><version>1</version>
  <dependencies><dependency>
    <groupId>{group}</groupId><artifactId>{artifact}</artifactId><version>{version}</version>
  </dependency></dependencies>
</project>
"""


def _pyspark_jars() -> tuple[str, Path]:
    import pyspark

    return str(pyspark.__version__), Path(pyspark.__file__).parent / "jars"


def _artifact(jar: Path) -> str:
    """``kafka-clients-3.9.2.jar`` -> ``kafka-clients``."""
    parts = jar.stem.split("-")
    while parts and parts[-1][:1].isdigit():
        parts.pop()
    return "-".join(parts)


def _fetch(
    version: str, into: Path, group: str = "org.apache.spark", artifact: str = CONNECTOR
) -> bool:
    if shutil.which("mvn") is None:
        raise BackendError(f"mvn is not installed: it fetches {artifact} from Maven Central")
    with tempfile.TemporaryDirectory(prefix="vitrina-spark-pom-") as tmp:
        pom = Path(tmp) / "pom.xml"
        pom.write_text(_POM.format(group=group, artifact=artifact, version=version))
        res = subprocess.run(
            [
                "mvn",
                "-q",
                "-B",
                "-U",
                "-f",
                str(pom),
                "dependency:copy-dependencies",
                "-DincludeScope=runtime",
                f"-DoutputDirectory={into}",
            ],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    if res.returncode != 0:
        log.info("mvn could not fetch %s %s: %s", artifact, version, res.stdout[-500:])
        return False
    return True


def connector_version(pyspark_version: str) -> list[str]:
    """Versions to try: pyspark's exact one, then earlier releases of the same minor line."""
    major, minor, *rest = ([*pyspark_version.split("+")[0].split("."), "0"])[:3]
    patch = int(rest[0]) if rest and rest[0].isdigit() else 0
    exact = [pyspark_version]
    earlier = [f"{major}.{minor}.{p}" for p in range(patch - 1, -1, -1)]
    previous_minor = (
        [f"{major}.{int(minor) - 1}.{p}" for p in range(3, -1, -1)] if int(minor) > 0 else []
    )
    return exact + earlier + previous_minor


def kafka_connector_jars(cache_dir: Path) -> tuple[str, list[Path]]:
    """(connector version, jar paths) for ``spark.jars``; only jars pyspark lacks are kept.

    The exact pyspark version is tried first. When Maven Central has no such release (a
    pyspark on PyPI ahead of Central), the newest earlier release that exists is used and a
    warning says so.
    """
    version, own = _pyspark_jars()
    have = {_artifact(j) for j in own.glob("*.jar")}
    for candidate in connector_version(version):
        target = cache_dir / candidate
        done = target / ".complete"
        missing = cache_dir / f"{candidate}.missing"
        if missing.exists() and time.time() - missing.stat().st_mtime < 86_400:
            continue  # looked up less than a day ago: not on Central
        if not done.exists():
            target.mkdir(parents=True, exist_ok=True)
            if not _fetch(candidate, target):
                shutil.rmtree(target, ignore_errors=True)
                missing.write_text("not found on Maven Central")
                continue
            done.write_text(candidate)
        jars = sorted(j for j in target.glob("*.jar") if _artifact(j) not in have)
        if candidate != version:
            log.warning(
                "Spark Kafka connector %s is not on Maven Central; using %s", version, candidate
            )
        return candidate, jars
    raise BackendError(f"no Spark Kafka connector for pyspark {version} on Maven Central")


def jdbc_driver_jars(cache_dir: Path) -> list[Path]:
    """The PostgreSQL and MariaDB JDBC drivers (and what they need) for ``spark.jars``."""
    jars: list[Path] = []
    for group, artifact, version in JDBC_DRIVERS:
        target = cache_dir / "jdbc" / f"{artifact}-{version}"
        done = target / ".complete"
        if not done.exists():
            target.mkdir(parents=True, exist_ok=True)
            if not _fetch(version, target, group, artifact):
                shutil.rmtree(target, ignore_errors=True)
                raise BackendError(f"mvn could not fetch {group}:{artifact}:{version}")
            done.write_text(version)
        jars += sorted(target.glob("*.jar"))
    return jars


if __name__ == "__main__":  # python -m vitrina.spark.jars [CACHE_DIR]: fetch ahead of time
    import sys

    logging.basicConfig(level=logging.INFO)
    cache = Path(sys.argv[1]) if len(sys.argv) > 1 else JARS_CACHE
    found_version, found = kafka_connector_jars(cache)
    print(found_version, *found, *jdbc_driver_jars(cache), sep="\n")
