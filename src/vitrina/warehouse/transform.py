"""``dbt build`` of transform/ on the profile's warehouse, run in process through dbtRunner."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from vitrina.atomicio import write_atomic
from vitrina.config import Settings
from vitrina.errors import PipelineError
from vitrina.stepstatus import records_status
from vitrina.warehouse import DbtTarget, Warehouse, dbt_target, open_warehouse
from vitrina.warehouse.base import quote_ident
from vitrina.warehouse.dbt_manifest import cache_key, load_manifest, save_manifest

if TYPE_CHECKING:
    from dbt.contracts.graph.manifest import Manifest

__all__ = [
    "TransformReport",
    "dbt_profile",
    "dbt_vars",
    "domain_selection",
    "mart_domains",
    "project_dir",
    "run_transform",
]

log = logging.getLogger(__name__)

THREADS = 4  # dbt threads: nodes overlap their Python overhead with the engine (2 cores)


@dataclass(frozen=True)
class TransformReport:
    """What one ``dbt build`` did."""

    target: str
    models: int
    tests_passed: int
    tests_failed: int
    seconds: float
    failures: tuple[str, ...] = ()

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("dbt target", self.target),
            ("models built", str(self.models)),
            ("tests passed", f"{self.tests_passed} of {self.tests_passed + self.tests_failed}"),
            ("dbt build", f"{self.seconds:.1f} s"),
        ]


def project_dir() -> Path:
    """The dbt project: ``transform/`` of the checkout, or its copy inside an installed wheel."""
    here = Path(__file__).resolve()
    for path in (here.parents[3] / "transform", here.parents[1] / "_dbt"):
        if (path / "dbt_project.yml").is_file():
            return path
    raise PipelineError(f"dbt project not found at {here.parents[3] / 'transform'}")


def dbt_profile(target: DbtTarget, threads: int = THREADS) -> tuple[dict[str, Any], dict[str, str]]:
    """profiles.yml for ``target`` and the environment its secrets are read from.

    The secrets stay out of the file: it holds ``env_var('DBT_VITRINA_SECRET_<KEY>')`` and the
    run passes the values in the environment.
    """
    env = {f"DBT_VITRINA_SECRET_{k.upper()}": v for k, v in target.secrets.items()}
    refs = {k: f"{{{{ env_var('DBT_VITRINA_SECRET_{k.upper()}') }}}}" for k in target.secrets}
    output = {**target.output, **refs, "threads": threads}
    profile = {"vitrina": {"target": target.name, "outputs": {target.name: output}}}
    return profile, env


def dbt_vars(settings: Settings) -> dict[str, Any]:
    """The dbt vars the marts read: scoring weights and the stream's window parameters."""
    return {
        "click_weight": settings.scoring.click_weight,
        "units_weight": settings.scoring.units_weight,
        "top_n": settings.scoring.top_n,
        "window_size_ms": settings.stream.size_ms,
        "window_hop_ms": settings.stream.hop_ms,
        "lateness_ms": settings.stream.lateness_ms,
    }


# Domains whose models carry the domain's dbt tag (models/<domain>/); the untagged models are
# the shop's and the clickstream's, which ingest loads together.
TAGGED_DOMAINS = ("social",)


def _holds_rows(wh: Warehouse, table: str) -> bool:
    if not wh.columns("clean", table):
        return False
    return bool(wh.query_arrow(f"select 1 from clean.{quote_ident(table)} limit 1").num_rows > 0)


def domain_selection(wh: Warehouse) -> list[str]:
    """dbt arguments that build the models of the domains whose clean tables hold rows.

    A tagged domain without data is excluded (its clean tables may be empty or absent); when
    only tagged domains hold data, only their models are selected. No data at all builds the
    untagged models, as before there were domains.
    """
    from vitrina.contracts.registry import DOMAINS

    held = {d for d, tables in DOMAINS.items() if any(_holds_rows(wh, t) for t in tables)}
    tagged = [d for d in TAGGED_DOMAINS if d in held]
    if tagged and not held - set(TAGGED_DOMAINS):
        return ["--select", " ".join(f"tag:{d}" for d in tagged)]
    absent = [f"tag:{d}" for d in TAGGED_DOMAINS if d not in held]
    return ["--exclude", " ".join(absent)] if absent else []


def mart_domains(wh: Warehouse) -> set[str]:
    """The domains whose models :func:`domain_selection` builds (publish skips the others)."""
    from vitrina.contracts.registry import DOMAINS

    held = {d for d, tables in DOMAINS.items() if any(_holds_rows(wh, t) for t in tables)}
    untagged = {d for d in DOMAINS if d not in TAGGED_DOMAINS}
    if held and held <= set(TAGGED_DOMAINS):
        return held
    return untagged | (held & set(TAGGED_DOMAINS))


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    # dbt reads its profile through env_var(); set ours for the run only, then restore.
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def _engine_held(settings: Settings, target: DbtTarget) -> Iterator[None]:
    """An embedded warehouse held open while dbt runs in this process.

    dbt's DuckDB connections then join the engine this one opened, with every setting of
    the warehouse URL in force (the spill directory among them, which dbt cannot set).
    """
    if target.output.get("type") != "duckdb":
        yield
        return
    from vitrina.warehouse import open_warehouse

    with open_warehouse(settings.backend("warehouse")):
        yield


def _parsed(project: Path, dbt: DbtTarget, settings: Settings, common: list[str]) -> Manifest:
    """The project's parsed manifest: from the cache when nothing parsing reads has changed."""
    from dbt.cli.main import dbtRunner

    key = cache_key(project, dbt.output, dbt_vars(settings))
    manifest = load_manifest(key)
    if manifest is not None:
        return manifest
    result = dbtRunner().invoke(["parse", *common])
    if result.exception is not None or not result.success or result.result is None:
        raise PipelineError(f"dbt could not parse {project}: {result.exception or 'see logs'}")
    parsed = cast("Manifest", result.result)
    save_manifest(key, parsed)
    return parsed


@records_status("transform")
def run_transform(settings: Settings, *, select: str | None = None) -> TransformReport:
    """Run ``dbt build`` (models, then their tests) on the profile's warehouse.

    Raises :class:`PipelineError` naming the failing models and tests when anything fails.
    """
    from dbt.cli.main import dbtRunner

    project = project_dir()
    dbt = dbt_target(settings.backend("warehouse"))
    target = dbt.name
    profile, env = dbt_profile(dbt)
    work = settings.data_dir.absolute() / "dbt"
    # JSON is YAML: dbt reads this profile as it reads a hand-written one.
    write_atomic(work / "profile" / "profiles.yml", json.dumps(profile, indent=2).encode())
    common = [
        "--project-dir", str(project),
        "--profiles-dir", str(work / "profile"),
        "--target", target,
        "--target-path", str(work / "target"),
        "--log-path", str(work / "logs"),
        # Every statement goes to dbt.log only when debugging (-v): writing them costs time.
        "--log-level-file", "debug" if log.isEnabledFor(logging.DEBUG) else "info",
        "--vars", json.dumps(dbt_vars(settings)),
        "--threads", str(THREADS),
        "--quiet",
        "--no-use-colors",
        "--no-send-anonymous-usage-stats",
    ]  # fmt: skip
    args = ["build", *common]
    if not select:
        with open_warehouse(settings.backend("warehouse")) as wh:
            args += domain_selection(wh)
    # Only tests whose every parent is selected: a partial build must not test unbuilt models.
    args += ["--select", select] if select else []
    args += ["--indirect-selection", "cautious"]
    started = time.perf_counter()
    # dbt prints its own progress to stdout; stdout is for data, so send it to stderr.
    with _environment(env), contextlib.redirect_stdout(sys.stderr), _engine_held(settings, dbt):
        manifest = _parsed(project, dbt, settings, common)
        result = dbtRunner(manifest=manifest).invoke(args)
    seconds = time.perf_counter() - started
    nodes = list(getattr(result.result, "results", None) or [])
    models = tests_ok = tests_bad = 0
    failures: list[str] = []
    for r in nodes:
        kind = str(getattr(r.node, "resource_type", ""))
        status = str(r.status)
        if kind.endswith("model"):
            models += status == "success"
        elif kind.endswith("test"):
            if status == "pass":
                tests_ok += 1
            else:
                tests_bad += 1
        if status not in ("success", "pass", "skipped"):
            failures.append(f"{r.node.name} ({status}{': ' + str(r.message) if r.message else ''})")
    if result.exception is not None:
        raise PipelineError(f"dbt build could not run: {result.exception}") from result.exception
    if not result.success or failures:
        shown = "; ".join(failures[:5]) + (" ..." if len(failures) > 5 else "")
        raise PipelineError(f"dbt build failed on {target}: {shown or 'see ' + str(work / 'logs')}")
    report = TransformReport(target, models, tests_ok, tests_bad, seconds, tuple(failures))
    log.info("dbt build on %s: %d models, %d tests in %.1f s", target, models, tests_ok, seconds)
    return report
