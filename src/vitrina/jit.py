"""numba's ``njit`` with the project's options, typed for mypy (kernels stay plain functions).

Kernels are compiled on first call and cached on disk, so only the first process pays the
compile time. numba keys a cached kernel on its own source file only, but kernels here also
compile in helpers from :mod:`vitrina.spell` (and the options of this module): the cache lives
in a folder named by a hash of those shared files, so editing a helper recompiles every kernel
that uses it instead of running stale machine code. The folder is ``__pycache__/numba-<hash>``
in the package (or under ``~/.cache/vitrina`` when the package is read-only, or under the
user's ``NUMBA_CACHE_DIR``).

Small helpers called from a kernel are marked :func:`inline`: numba compiles them into the
caller instead of calling them (a call passes every array as a struct, which costs more than a
helper's few instructions); every call site costs compile time, so only tiny helpers are.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import numba
from numba import njit

__all__ = ["inline", "kernel"]

F = TypeVar("F", bound=Callable[..., Any])
_config: Any = numba.config  # numba's settings (NUMBA_* variables), read at decoration time

_SHARED = ("jit.py", "spell.py")  # compiled into other modules' kernels


def _cache_dir() -> str:
    here = Path(__file__).parent
    salt = hashlib.sha256(b"".join((here / name).read_bytes() for name in _SHARED))
    name = f"numba-{salt.hexdigest()[:16]}"
    if _config.CACHE_DIR:  # the user chose a place for numba's caches
        return str(Path(_config.CACHE_DIR) / f"vitrina-{name}")
    if os.access(here, os.W_OK):
        return str(here / "__pycache__" / name)
    return str(Path.home() / ".cache" / "vitrina" / name)


_CACHE_DIR = _cache_dir()


def _compile(fn: F, **options: Any) -> F:
    previous = _config.CACHE_DIR
    _config.CACHE_DIR = _CACHE_DIR  # read once, when the dispatcher sets up its cache
    try:
        return cast(F, njit(cache=True, nogil=True, boundscheck=False, **options)(fn))
    finally:
        _config.CACHE_DIR = previous


def kernel(fn: F) -> F:
    """Compile ``fn`` with numba (no Python objects, GIL released, no bounds checks)."""
    return _compile(fn)


def inline(fn: F) -> F:
    """A tiny helper of kernels, compiled into each kernel that calls it."""
    return _compile(fn, inline="always")
