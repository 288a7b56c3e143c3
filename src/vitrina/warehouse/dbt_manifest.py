"""dbt's parsed manifest, kept between runs so a fresh data directory does not parse again.

Parsing the project is a third of a ``dbt build`` (about 10 s for 150 models and 300 tests on
two cores). dbt's own partial parsing cannot help a fresh data directory: its saved state
lives in the target folder and is discarded when the profile changes, and the profile holds
the warehouse path. The parsed manifest does not depend on that path (DuckDB relations are
named by the file's stem), so it is cached under ``~/.cache/vitrina/dbt-manifests`` keyed by
everything parsing reads: dbt's and the adapters' versions, every file of the project, the
target without its path and secrets, and the vars. A run hands it to ``dbtRunner(manifest=)``,
dbt's documented way to reuse a parsed manifest; anything unreadable parses afresh.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vitrina.atomicio import write_atomic

if TYPE_CHECKING:
    from dbt.contracts.graph.manifest import Manifest

__all__ = ["CACHE_DIR", "cache_key", "load_manifest", "save_manifest"]

log = logging.getLogger(__name__)

CACHE_DIR = Path.home() / ".cache" / "vitrina" / "dbt-manifests"
_PACKAGES = ("dbt-core", "dbt-adapters", "dbt-common", "dbt-duckdb", "dbt-postgres")
_SKIPPED_DIRS = {"target", "logs", "dbt_packages", "__pycache__"}


def _versions() -> list[str]:
    out = []
    for name in _PACKAGES:
        try:
            out.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name} absent")
    return out


def _project_files(project: Path) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(project):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith("."))
        files += [Path(root) / n for n in sorted(names)]
    return files


def cache_key(project: Path, output: dict[str, Any], cli_vars: dict[str, Any]) -> str:
    """The hash of what parsing the project reads, the warehouse path left out.

    ``output`` is the profile's target; its ``path`` (a DuckDB file) counts by its stem only,
    the name dbt gives the database, and secrets are not in it (they are env_var() calls).
    """
    target = dict(output)
    if "path" in target:
        target["path"] = Path(str(target["path"])).stem
    digest = hashlib.sha256()
    head = {"project": str(project.resolve()), "versions": _versions(), "target": target}
    digest.update(json.dumps({**head, "vars": cli_vars}, sort_keys=True, default=str).encode())
    for path in _project_files(project):
        digest.update(b"\0" + str(path.relative_to(project)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def load_manifest(key: str, cache_dir: Path = CACHE_DIR) -> Manifest | None:
    """The manifest cached under ``key``, or None (absent, unreadable or made by another dbt)."""
    path = cache_dir / f"{key}.msgpack"
    if not path.is_file():
        return None
    from dbt.contracts.graph.manifest import Manifest
    from dbt.parser.manifest import extended_mashumuro_decoder
    from dbt.version import __version__

    try:
        manifest = Manifest.from_msgpack(path.read_bytes(), decoder=extended_mashumuro_decoder)
    except Exception as exc:  # a truncated or foreign file: parse instead
        log.info("dbt manifest cache %s unreadable (%s): parsing", path, exc)
        return None
    if manifest.metadata.dbt_version != __version__ or _env_vars_changed(manifest):
        return None
    manifest.build_flat_graph()  # the 'graph' context variable, as a parse leaves it
    log.debug("dbt manifest from %s", path)
    return manifest


def _env_vars_changed(manifest: Manifest) -> bool:
    # Values of env_var() calls in the project, as parsing saw them (none today).
    return any(os.environ.get(k) != v for k, v in (manifest.env_vars or {}).items())


def save_manifest(key: str, manifest: Manifest, cache_dir: Path = CACHE_DIR) -> None:
    """Keep ``manifest`` under ``key``; a cache that cannot be written only costs time."""
    from dbt.parser.manifest import extended_mashumaro_encoder

    try:
        payload = manifest.to_msgpack(extended_mashumaro_encoder)
        write_atomic(cache_dir / f"{key}.msgpack", payload, durable=False)
    except OSError as exc:
        log.info("dbt manifest cache not written to %s: %s", cache_dir, exc)
