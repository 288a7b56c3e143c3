"""Atomic local file writes: a reader sees the old content or the new, never a partial file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: str | Path, payload: bytes, *, durable: bool = True) -> None:
    """Write ``payload`` to a hidden temporary file beside ``path``, then rename it over ``path``.

    With ``durable`` the file and its directory are fsynced, so the rename survives a crash of
    the machine, not only of the process. A failed write leaves no temporary file behind.
    """
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
