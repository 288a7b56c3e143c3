"""numba's ``njit`` with the project's options, typed for mypy (kernels stay plain functions).

Kernels are compiled on first call and cached on disk next to their module (or in numba's
user cache when that is read-only), so only the first process pays the compile time. Small
helpers called from a kernel are marked :func:`inline`: numba then compiles them into the
caller instead of calling them (a call passes every array as a struct, which costs more than
a helper's few instructions).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from numba import njit

__all__ = ["inline", "kernel"]

F = TypeVar("F", bound=Callable[..., Any])


def kernel(fn: F) -> F:
    """Compile ``fn`` with numba (no Python objects, GIL released, no bounds checks)."""
    return cast(F, njit(cache=True, nogil=True, boundscheck=False)(fn))


def inline(fn: F) -> F:
    """A tiny helper of kernels, compiled into each kernel that calls it (numba IR inlining:
    faster, but every call site costs compile time, so only for a few instructions)."""
    return cast(F, njit(cache=True, nogil=True, boundscheck=False, inline="always")(fn))
