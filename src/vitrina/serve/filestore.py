"""The embedded serving store: one directory per version of Arrow IPC files, a pointer file.

Layout under the root (``file:///abs/dir``)::

    v1/<version>/top_products.arrow      TOP_SCHEMA, ordered by rank
    v1/<version>/recommendations.arrow   RECS_SCHEMA, ordered by user_id, rank
    v1/<version>/meta.json               {"version", "hash", counts}
    v1/current                           the current version id (one line)

A version is built in ``v1/.tmp-<version>`` and renamed into place, then ``current`` is
replaced with ``os.replace`` (atomic on POSIX); readers follow the pointer and retry if a
version they picked was cleaned up in between.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

from vitrina.backends import local_path, register
from vitrina.errors import BackendError, UsageError
from vitrina.serve.base import ServingStore
from vitrina.serve.model import (
    KEY_VERSION,
    Recommendation,
    ServingSet,
    TopProduct,
    recs_from_rows,
    top_from_table,
)

__all__ = ["FileServingStore"]

logger = logging.getLogger(__name__)

_TOP = "top_products.arrow"
_RECS = "recommendations.arrow"
_META = "meta.json"
_RETRIES = 5


def _write_arrow(path: Path, table: pa.Table) -> None:
    with pa.OSFile(str(path), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _read_arrow(path: Path) -> pa.Table:
    with pa.memory_map(str(path), "r") as source:
        return ipc.open_file(source).read_all()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class FileServingStore(ServingStore):
    """Serving sets as versioned Arrow files in a local directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.base = root / KEY_VERSION
        try:
            self.base.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BackendError(f"serving: cannot create {self.base}: {exc.strerror}") from exc
        # The last set read, by version: repeated lookups do not re-open the files.
        self._cache: ServingSet | None = None

    # -- pointer and versions ----------------------------------------------------------------
    def current_version(self) -> str | None:
        try:
            text = (self.base / "current").read_text().strip()
        except FileNotFoundError:
            return None
        return text or None

    def current_hash(self) -> str | None:
        version = self.current_version()
        if version is None:
            return None
        try:
            meta = json.loads((self.base / version / _META).read_text())
        except FileNotFoundError:
            return None
        return str(meta["hash"])

    def versions(self) -> list[str]:
        return sorted(p.name for p in self.base.iterdir() if p.is_dir() and (p / _META).is_file())

    def _write_version(self, version: str, digest: str, top: pa.Table, recs: pa.Table) -> None:
        # Leftovers of a publish that crashed midway (single writer): never read, remove.
        for stale in self.base.glob(".tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        for stale in self.base.glob(".old-*"):
            shutil.rmtree(stale, ignore_errors=True)
        tmp = self.base / f".tmp-{version}"
        tmp.mkdir()
        _write_arrow(tmp / _TOP, top)
        _write_arrow(tmp / _RECS, recs)
        meta = {
            "version": version,
            "hash": digest,
            "top_count": top.num_rows,
            "recs_rows": recs.num_rows,
        }
        (tmp / _META).write_text(json.dumps(meta, sort_keys=True) + "\n")
        for name in (_TOP, _RECS, _META):
            with open(tmp / name, "rb") as fh:
                os.fsync(fh.fileno())
        os.rename(tmp, self.base / version)
        _fsync_dir(self.base)

    def _switch(self, version: str) -> None:
        tmp = self.base / f".current.{os.getpid()}"
        with open(tmp, "w") as fh:
            fh.write(version + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.base / "current")
        _fsync_dir(self.base)

    def _drop_version(self, version: str) -> None:
        # Rename first so the version stops being listed before its files go.
        doomed = self.base / f".old-{version}"
        try:
            os.rename(self.base / version, doomed)
        except FileNotFoundError:
            return
        shutil.rmtree(doomed, ignore_errors=True)

    # -- reads ---------------------------------------------------------------------------------
    def snapshot(self) -> ServingSet | None:
        for _ in range(_RETRIES):
            version = self.current_version()
            if version is None:
                return None
            if self._cache is not None and self._cache.version == version:
                return self._cache
            try:
                top = _read_arrow(self.base / version / _TOP)
                recs = _read_arrow(self.base / version / _RECS)
            except FileNotFoundError:
                continue  # cleaned up between reading the pointer and the files: follow again
            self._cache = ServingSet(version=version, top=top, recs=recs)
            return self._cache
        raise BackendError(f"serving: no stable version under {self.base} after {_RETRIES} tries")

    def top_products(self, n: int = 10) -> list[TopProduct]:
        current = self.snapshot()
        return [] if current is None else top_from_table(current.top, n)

    def recommendations(self, user_id: int) -> list[Recommendation]:
        current = self.snapshot()
        if current is None:
            return []
        # The set is ordered by user_id: two binary searches find the user's rows.
        users = current.recs.column("user_id").to_numpy()
        lo = int(np.searchsorted(users, int(user_id), side="left"))
        hi = int(np.searchsorted(users, int(user_id), side="right"))
        return recs_from_rows(current.recs.slice(lo, hi - lo).to_pylist())

    def close(self) -> None:
        self._cache = None


@register("serving", "file", local=True)
def open_file_store(url: str) -> FileServingStore:
    """The store under ``file:///abs/dir``."""
    path = local_path("serving", url)
    if path is None:
        raise UsageError(f"serving URL {url!r} needs a path: file:///abs/dir")
    return FileServingStore(path)
