"""The stage area of the staged ingest: ``<data_dir>/stage/<domain>/<interval>/``.

Its layout (one directory per stage's output), how a stage replaces its directory whole
(written beside it, renamed in, the later stages' directories removed first), the manifests
the stages hand on, the retention of interval directories, and one entity's prepared batch
(:class:`vitrina.ingest.process.Prepared`) as Parquet files and a JSON description.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from vitrina.atomicio import write_atomic
from vitrina.config import Settings
from vitrina.errors import PipelineError
from vitrina.pipelines.interval import Interval

STAGES = ("read", "validate", "clean", "load")
# Each stage's directory in the interval's stage area (load writes to the warehouse only).
_OUTPUT = {"read": "raw", "validate": "valid", "clean": "clean"}
# Interval directories kept per domain besides the one just read (older ones are removed).
KEEP_INTERVALS = 48
_TS = "%Y%m%dT%H%M%S"


def _stamp(ms: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return f"{moment.strftime(_TS)}.{ms % 1000:03d}Z"


def interval_dir(settings: Settings, domain: str, interval: Interval) -> Path:
    """The stage area of one interval: ``<data_dir>/stage/<domain>/<start>--<end>``."""
    name = f"{_stamp(interval.start_ms)}--{_stamp(interval.end_ms)}"
    return settings.data_dir.absolute() / "stage" / domain / name


@contextmanager
def replacing(root: Path, stage: str) -> Iterator[Path]:
    """A fresh directory for ``stage``'s output; on success it replaces the stage's directory
    whole. The directories of the later stages are removed before anything is written."""
    later = [_OUTPUT[s] for s in STAGES[STAGES.index(stage) + 1 :] if s in _OUTPUT]
    for name in later:
        shutil.rmtree(root / name, ignore_errors=True)
    final = root / _OUTPUT[stage]
    tmp, old = root / f".{final.name}.tmp", root / f".{final.name}.old"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    shutil.rmtree(old, ignore_errors=True)


def write_json(path: Path, doc: Any) -> None:
    write_atomic(path, orjson.dumps(doc, option=orjson.OPT_INDENT_2))


def staged_manifest(root: Path, stage: str, before: str) -> dict[str, Any]:
    """The manifest of the directory ``stage`` reads; missing: run ``before`` first."""
    path = root / _OUTPUT[before] / "manifest.json"
    if not path.is_file():
        raise PipelineError(
            f"{stage}: nothing staged at {path.parent} (run the {before} stage of this interval "
            "first)"
        )
    doc: dict[str, Any] = orjson.loads(path.read_bytes())
    return doc


def write_frame(path: Path, frame: pl.DataFrame) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(path)
    return path.name


def read_frame(path: Path) -> pl.DataFrame:
    return pl.read_parquet(path)


def prune(root: Path) -> None:
    """Remove the oldest interval directories of the domain beyond :data:`KEEP_INTERVALS`."""
    others = sorted(p for p in root.parent.iterdir() if p.is_dir() and p != root)
    for old in others[: max(0, len(others) - KEEP_INTERVALS)]:
        shutil.rmtree(old, ignore_errors=True)


# --- Prepared on disk ------------------------------------------------------------------

_FRAMES = ("raw", "valid", "quarantine")


def save_prepared(directory: Path, p: Any) -> dict[str, Any]:
    for name in _FRAMES:
        write_frame(directory / f"{name}.parquet", getattr(p, name))
    if p.arrivals is not None:
        write_frame(directory / "arrivals.parquet", p.arrivals)
    for i, keys in enumerate(p.keys):
        write_frame(directory / f"keys-{i:04d}.parquet", keys)
    return {
        "entity": p.entity,
        "snapshot": p.snapshot,
        "files": p.files,
        "read": p.read,
        "duplicates": p.duplicates,
        "keyed": p.keyed,
        "keys": len(p.keys),
        "arrivals": p.arrivals is not None,
    }


def load_prepared(directory: Path, meta: dict[str, Any], rereads: dict[str, Any]) -> Any:
    from vitrina.ingest.process import Prepared
    from vitrina.ingest.tables import TABLES

    frames = {name: read_frame(directory / f"{name}.parquet") for name in _FRAMES}
    return Prepared(
        spec=TABLES[meta["entity"]],
        snapshot=meta["snapshot"],
        files=list(meta["files"]),
        read=meta["read"],
        duplicates=meta["duplicates"],
        arrivals=read_frame(directory / "arrivals.parquet") if meta["arrivals"] else None,
        keyed=meta["keyed"],
        rereads={f: rereads[f] for f in meta["files"] if f in rereads},
        keys=[read_frame(directory / f"keys-{i:04d}.parquet") for i in range(meta["keys"])],
        **frames,
    )
