"""Session fixtures for integration tests on real services started by infra/services.sh.

Each fixture makes sure its service runs (``bash infra/services.sh up NAME``: nothing to do when
it already answers, started otherwise) and hands out where it is. A service that cannot start
FAILS the test with the script's output; nothing is ever skipped. Names are stable:

- ``postgres_url`` -> ``postgresql://vitrina:vitrina@127.0.0.1:5432/vitrina`` (role vitrina);
  ``postgres_source_url`` -> the same server, database ``vitrina_source``.
- ``mariadb_url`` -> ``mysql://vitrina:vitrina@127.0.0.1:3306/vitrina``;
  ``mariadb_params`` -> dict(host, port, user, password, database) for ``pymysql.connect(**p)``.
- ``redis_url`` -> ``redis://127.0.0.1:6379/0``.
- ``kafka_bootstrap`` -> ``127.0.0.1:9092`` (KRaft, one node; transactions work; topics are NOT
  auto-created: create yours with an explicit partition count, e.g. with ``kafka_topic``).
- ``kafka_topic`` -> a factory ``kafka_topic(partitions=1) -> str`` creating a fresh topic.
- ``neo4j_url`` -> ``bolt://127.0.0.1:7687``; ``neo4j_auth`` -> ``("neo4j", "vitrina-neo4j")``;
  ``neo4j_gds`` -> True when Graph Data Science (PageRank) is loaded.
- ``minio`` -> :class:`Minio` (endpoint, user, password, bucket, ``storage_options`` for
  s3fs/fsspec, ``url(path)`` -> ``s3://vitrina/<path>``); the bucket exists.
- ``airflow_sqlite`` -> ``prepare(env)``: a migrated SQLite metadata database in
  ``env["AIRFLOW_HOME"]`` and the DAGs of ``env``'s folder serialized into it (``airflow dags
  test`` on a throw-away database).
- ``services`` -> :class:`Services` (``up/down/status/info`` by name) for tests that stop and
  start services (mark them ``restarts_services``).
- ``@pytest.mark.services("kafka", ...)`` on a test or module starts those services first.

Ports and credentials come from the script (``infra/services.sh info NAME``), so the env vars it
honours (VITRINA_POSTGRES_PORT, ...) apply here too. Tests marked ``restarts_services`` (they
stop and start services) run at the end of the session so other tests keep their connections.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.services import Minio, Services


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "restarts_services: stops and starts services; runs at the end of the session"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Move the tests that restart services to the end (stable order otherwise)."""
    items.sort(key=lambda item: item.get_closest_marker("restarts_services") is not None)


@pytest.fixture(scope="session")
def services() -> Services:
    return Services()


@pytest.fixture(autouse=True)
def _services_marker(request: pytest.FixtureRequest, services: Services) -> None:
    """``@pytest.mark.services("redis", ...)`` starts the named services before the test."""
    marker = request.node.get_closest_marker("services")
    if marker is not None:
        services.up(*marker.args)


@pytest.fixture(scope="session")
def postgres_url(services: Services) -> str:
    return services.ensure("postgres")["url"]


@pytest.fixture(scope="session")
def postgres_source_url(services: Services) -> str:
    return services.ensure("postgres")["source_url"]


@pytest.fixture(scope="session")
def mariadb_url(services: Services) -> str:
    return services.ensure("mariadb")["url"]


@pytest.fixture(scope="session")
def mariadb_params(services: Services) -> dict[str, Any]:
    info = services.ensure("mariadb")
    return {
        "host": info["host"],
        "port": int(info["port"]),
        "user": info["user"],
        "password": info["password"],
        "database": info["database"],
    }


@pytest.fixture(scope="session")
def redis_url(services: Services) -> str:
    return services.ensure("redis")["url"]


@pytest.fixture(scope="session")
def kafka_bootstrap(services: Services) -> str:
    return services.ensure("kafka")["bootstrap"]


@pytest.fixture(scope="session")
def kafka_topic(kafka_bootstrap: str) -> Iterator[Callable[..., str]]:
    """A factory creating a fresh topic (unique name, explicit partitions); deleted afterwards."""
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": kafka_bootstrap})
    created: list[str] = []

    def make(partitions: int = 1, prefix: str = "test") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        futures = admin.create_topics(
            [NewTopic(name, num_partitions=partitions, replication_factor=1)]
        )
        futures[name].result(30)
        created.append(name)
        return name

    yield make
    if created:
        for future in admin.delete_topics(created, operation_timeout=30).values():
            with contextlib.suppress(KafkaException):  # cleanup only; a restart may race it
                future.result(30)


@pytest.fixture(scope="session")
def scratch_databases_factory(postgres_url: str) -> Iterator[Callable[[str], tuple[str, str]]]:
    """A factory of a warehouse and a source database of their own (URLs), dropped at the end."""
    import psycopg

    created: list[str] = []

    def make(prefix: str) -> tuple[str, str]:
        names = [f"{prefix}_{uuid.uuid4().hex[:8]}_{kind}" for kind in ("wh", "src")]
        with psycopg.connect(postgres_url, autocommit=True) as con:
            for name in names:
                con.execute(f"create database {name}")
        created.extend(names)
        base = postgres_url.rsplit("/", 1)[0]
        return f"{base}/{names[0]}", f"{base}/{names[1]}"

    yield make
    with psycopg.connect(postgres_url, autocommit=True) as con:
        for name in created:
            con.execute(f"drop database if exists {name} with (force)")


@pytest.fixture(scope="session")
def neo4j_url(services: Services) -> str:
    return services.ensure("neo4j")["url"]


@pytest.fixture(scope="session")
def neo4j_auth(services: Services) -> tuple[str, str] | None:
    info = services.ensure("neo4j")
    return (info["user"], info["password"]) if info["password"] else None


@pytest.fixture(scope="session")
def neo4j_gds(services: Services) -> bool:
    return services.ensure("neo4j")["gds"].startswith("yes")


@pytest.fixture(scope="session")
def minio(services: Services) -> Minio:
    info = services.ensure("minio")
    return Minio(info["endpoint"], info["user"], info["password"], info["bucket"])


def _airflow(env: dict[str, str], *command: str) -> None:
    done = subprocess.run(
        ["airflow", *command], env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="session")
def airflow_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Callable[[dict[str, str]], None]:
    """``prepare(env)``: ``airflow db migrate`` then ``airflow dags reserialize`` in the
    Airflow home of ``env`` (the SQLite default). The migration, the same for every home, runs
    once per session into a template that is copied (it takes a minute on 2 busy cores)."""
    template: list[Path] = []

    def prepare(env: dict[str, str]) -> None:
        if not template:
            base = tmp_path_factory.mktemp("airflow-sqlite")
            (base / "dags").mkdir()
            folders = {"AIRFLOW_HOME": str(base), "AIRFLOW__CORE__DAGS_FOLDER": str(base / "dags")}
            _airflow({**env, **folders}, "db", "migrate")
            template.append(base / "airflow.db")
        shutil.copyfile(template[0], Path(env["AIRFLOW_HOME"]) / "airflow.db")
        _airflow(env, "dags", "reserialize")

    return prepare
