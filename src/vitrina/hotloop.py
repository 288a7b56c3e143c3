"""Garbage collection for hot loops: no automatic collections, a full one on a clock instead.

A Kafka batch creates a Python object per message (100 000 of them at a time); each such wave
sets off CPython's generational collector, and its full collections walk every object the
process holds (numpy, polars and numba bring hundreds of thousands), so a consume loop spent
most of its time in the collector. The loop's garbage is not cyclic (messages, bytes, arrays
are freed by reference counting), so :class:`GcClock` freezes what exists at the start
(``gc.freeze``: never traversed again), turns automatic collection off, and collects cycles
every ``every_s`` seconds on :meth:`GcClock.tick`, so memory stays bounded. Leaving the
``with`` block restores the collector as it was.
"""

from __future__ import annotations

import gc
import logging
import time
from types import TracebackType

__all__ = ["GcClock"]

log = logging.getLogger(__name__)


class GcClock:
    """``with GcClock(): ... clock.tick()`` once per batch."""

    def __init__(self, every_s: float = 30.0) -> None:
        self.every_s = every_s
        self.collections = 0
        self._was_enabled = False
        self._last = 0.0

    def __enter__(self) -> GcClock:
        self._was_enabled = gc.isenabled()
        gc.collect()
        gc.freeze()
        gc.disable()
        self._last = time.monotonic()
        return self

    def tick(self) -> None:
        now = time.monotonic()
        if now - self._last >= self.every_s:
            found = gc.collect()
            self.collections += 1
            self._last = time.monotonic()
            log.debug("gc: %d unreachable objects, %.1f ms", found, (self._last - now) * 1000)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        gc.unfreeze()
        if self._was_enabled:
            gc.enable()
