"""Drive infra/services.sh from tests: start, stop and describe the real services."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

__all__ = ["ROOT", "SCRIPT", "Minio", "Services"]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "infra" / "services.sh"
START_TIMEOUT_S = 900  # a cold machine installs packages, fetches jars and builds MinIO


def _run(
    *args: str, env: dict[str, str] | None = None, timeout: float = START_TIMEOUT_S
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass
class Services:
    """Drives infra/services.sh; remembers which services it has seen up this session.

    ``env`` overrides the script's settings (VITRINA_RUN_DIR, VITRINA_<NAME>_PORT, ...): a
    second, isolated set of servers for tests that stop and start them.
    """

    env: dict[str, str] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    def _run(
        self, *args: str, timeout: float = START_TIMEOUT_S
    ) -> subprocess.CompletedProcess[str]:
        return _run(*args, env=self.env, timeout=timeout)

    def up(self, *names: str, force: bool = False) -> None:
        """Start the services (force: ask the script even if seen up this session)."""
        wanted = [n for n in names if force or n not in self.started]
        if not wanted:
            return
        proc = self._run("up", *wanted)
        if proc.returncode != 0:
            pytest.fail(
                f"services {' '.join(wanted)} could not start (infra/services.sh up exit "
                f"{proc.returncode}):\n{proc.stderr[-4000:]}{proc.stdout[-1000:]}",
                pytrace=False,
            )
        self.started.update(wanted)

    def down(self, *names: str) -> None:
        proc = self._run("down", *names, timeout=300)
        self.started.difference_update(names)
        if proc.returncode != 0:
            pytest.fail(f"infra/services.sh down {' '.join(names)} failed:\n{proc.stderr}")

    def status_report(self, *names: str) -> tuple[list[str], int]:
        """One ``infra/services.sh status``: its lines (``name up|down version url``) and its
        exit code (0 only when all are up); each run probes every named service."""
        proc = self._run("status", *names, timeout=120)
        return proc.stdout.splitlines(), proc.returncode

    def status(self, *names: str) -> list[str]:
        """The script's status lines (``name up|down version url``), whatever the exit code."""
        return self.status_report(*names)[0]

    def status_code(self, *names: str) -> int:
        """The exit code of ``infra/services.sh status``: 0 only when all are up."""
        return self.status_report(*names)[1]

    def info(self, name: str) -> dict[str, str]:
        proc = self._run("info", name, timeout=60)
        if proc.returncode != 0:
            pytest.fail(f"infra/services.sh info {name} failed:\n{proc.stderr}", pytrace=False)
        pairs = (line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)
        return {key: value for key, value in pairs}

    def ensure(self, name: str) -> dict[str, str]:
        self.up(name)
        return self.info(name)


@dataclass(frozen=True)
class Minio:
    """Where the MinIO server is and how to talk to it."""

    endpoint: str
    user: str
    password: str
    bucket: str

    @property
    def storage_options(self) -> dict[str, Any]:
        """fsspec/s3fs options: ``fsspec.filesystem("s3", **minio.storage_options)``."""
        return {
            "key": self.user,
            "secret": self.password,
            "client_kwargs": {"endpoint_url": self.endpoint, "region_name": "us-east-1"},
        }

    def url(self, path: str = "") -> str:
        return f"s3://{self.bucket}/{path.lstrip('/')}"
