"""Deterministic random streams: one independent generator per (seed, labels).

Each entity and each hour of live activity draws from its own stream, so adding a new kind
of data, or changing the slice size or speed, never shifts the numbers of another.
"""

from __future__ import annotations

import zlib

import numpy as np

__all__ = ["stream"]


def stream(seed: int, *labels: str | int) -> np.random.Generator:
    """A PCG64 generator for ``seed`` and the path ``labels`` (e.g. ``("live", 17, "sessions")``)."""
    key = [zlib.crc32(str(label).encode()) for label in labels]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=seed, spawn_key=key)))
