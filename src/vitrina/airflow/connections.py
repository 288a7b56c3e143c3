"""Airflow connections generated from the vitrina profile, as ``AIRFLOW_CONN_*`` variables.

Each backend role with a network service becomes one connection ``vitrina_<role>`` (host,
port, login, password, schema and the URL itself in ``extra``), and the alert channels'
secrets found in the environment become ``vitrina_telegram`` / ``vitrina_smtp`` (their
password is what :mod:`vitrina.alerts.airflow` reads). The variables are written to a file
of mode 600 that the service script sources; nothing here prints a secret
(``python -m vitrina.airflow.connections --list`` shows ids and masked URLs).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from vitrina.alerts import CREDENTIAL_ENV
from vitrina.alerts.airflow import CONNECTIONS as ALERT_CONNECTIONS
from vitrina.backends import ROLES as BACKEND_ROLES
from vitrina.config import Settings
from vitrina.redact import mask_url

__all__ = ["CONNECTION_IDS", "connections", "env_lines", "main", "write_env_file"]

# Airflow's conn_type for each URL scheme the profile may name (a service, not a local file).
_CONN_TYPES = {
    "postgresql": "postgres",
    "postgres": "postgres",
    "mysql": "mysql",
    "kafka": "kafka",
    "redis": "redis",
    "bolt": "neo4j",
    "neo4j": "neo4j",
    "s3": "aws",
    "clickhouse": "clickhouse",
    "spark": "spark",
}
# Every backend role but the alert channels, whose secrets come from the environment below.
ROLES = tuple(role for role in BACKEND_ROLES if role != "alerts")
CONNECTION_IDS = tuple(f"vitrina_{r}" for r in ROLES) + tuple(ALERT_CONNECTIONS.values())


def _from_url(url: str) -> dict[str, Any] | None:
    parts = urlsplit(url)
    conn_type = _CONN_TYPES.get(parts.scheme.lower())
    if conn_type is None:  # file://, duckdb://, chdb://, log://: nothing to connect to
        return None
    conn: dict[str, Any] = {"conn_type": conn_type, "host": parts.hostname or ""}
    if conn_type == "spark":  # the Spark provider takes the master URL as host and port
        conn["host"] = f"spark://{conn['host']}"
    if parts.port:
        conn["port"] = parts.port
    if parts.username:
        conn["login"] = unquote(parts.username)
    if parts.password:
        conn["password"] = unquote(parts.password)
    schema = parts.path.strip("/")
    if schema:
        conn["schema"] = schema
    conn["extra"] = {"vitrina_url": url}
    if conn_type == "spark":  # SparkSubmitOperator submits in client mode: the driver is here
        conn["extra"]["deploy-mode"] = "client"
    return conn


def connections(settings: Settings, environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Connection id -> Airflow's JSON form of the connection (secrets included)."""
    out: dict[str, dict[str, Any]] = {}
    for role in ROLES:
        conn = _from_url(settings.backend(role))
        if conn is not None:
            out[f"vitrina_{role}"] = conn
    for credential, conn_id in ALERT_CONNECTIONS.items():
        secret = environ.get(CREDENTIAL_ENV[credential], "")
        if secret:
            kind = "smtp" if credential.startswith("smtp") else "http"
            out[conn_id] = {"conn_type": kind, "password": secret}
    return out


def env_lines(conns: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """``export AIRFLOW_CONN_<ID>='<json>'`` lines for a shell to source."""
    lines = []
    for conn_id, conn in sorted(conns.items()):
        value = json.dumps(conn, sort_keys=True).replace("'", "'\"'\"'")
        lines.append(f"export AIRFLOW_CONN_{conn_id.upper()}='{value}'")
    return lines


def write_env_file(path: Path, conns: Mapping[str, Mapping[str, Any]]) -> None:
    """Write the export lines to ``path`` readable by its owner only (created that way)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write("\n".join(env_lines(conns)) + "\n")
    os.chmod(path, 0o600)


def describe(conns: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """One line per connection: its id and its URL with the secrets masked."""
    out = []
    for conn_id, conn in sorted(conns.items()):
        url = conn.get("extra", {}).get("vitrina_url") or f"{conn['conn_type']}://"
        out.append(f"{conn_id:24} {mask_url(url)}")
    return out


def main(argv: list[str]) -> int:
    """``--write FILE``: the export lines to FILE (mode 600); ``--list``: ids and masked URLs."""
    from vitrina.config import load_settings

    conns = connections(load_settings(), os.environ)
    if len(argv) == 2 and argv[0] == "--write":
        write_env_file(Path(argv[1]), conns)
        return 0
    if argv == ["--list"]:
        print("\n".join(describe(conns)))
        return 0
    print("usage: python -m vitrina.airflow.connections --write FILE | --list", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
