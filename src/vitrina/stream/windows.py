"""Window parameters and emitted windows: the engine's value types."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from vitrina.timeutil import END_INSTANT_MS, MIN_INSTANT_MS

__all__ = ["BatchResult", "EmittedWindows", "WindowSpec"]

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class WindowSpec:
    """Window size, hop and allowed lateness in milliseconds (hop = size gives tumbling).

    ``instants``: the times are instants (epoch ms), so only windows lying wholly inside the
    accepted range of instants (:data:`vitrina.timeutil.INSTANT_RANGE`) are emitted; an event
    near an edge of the range counts in its windows inside it. Off, any integers are times.
    """

    size_ms: int = 300_000
    hop_ms: int = 60_000
    lateness_ms: int = 30_000
    instants: bool = False

    def __post_init__(self) -> None:
        if self.hop_ms <= 0 or self.size_ms <= 0:
            raise ValueError("window size and hop must be positive")
        if self.size_ms % self.hop_ms:
            raise ValueError(
                f"window size {self.size_ms} ms is not a multiple of hop {self.hop_ms} ms"
            )
        if self.lateness_ms < 0:
            raise ValueError("allowed lateness must be >= 0")

    @property
    def panes(self) -> int:
        """``k``: how many windows each event belongs to."""
        return self.size_ms // self.hop_ms

    def emittable(self, emitted: EmittedWindows) -> EmittedWindows:
        """The windows of ``emitted`` this spec lets out (see ``instants``)."""
        if not self.instants or len(emitted) == 0:
            return emitted
        start = emitted.window_start_ms
        inside = (start >= MIN_INSTANT_MS) & (start <= END_INSTANT_MS - self.size_ms)
        if inside.all():
            return emitted
        return EmittedWindows(
            start[inside], emitted.key[inside], emitted.count[inside], self.size_ms
        )


@dataclass(frozen=True)
class EmittedWindows:
    """Final window counts, sorted by window start then key."""

    window_start_ms: I64
    key: I64
    count: I64
    size_ms: int

    @property
    def window_end_ms(self) -> I64:
        return self.window_start_ms + self.size_ms

    def __len__(self) -> int:
        return int(self.key.shape[0])

    @staticmethod
    def empty(size_ms: int) -> EmittedWindows:
        z = np.zeros(0, dtype=np.int64)
        return EmittedWindows(z, z.copy(), z.copy(), size_ms)

    @staticmethod
    def concat(parts: list[EmittedWindows], size_ms: int) -> EmittedWindows:
        if not parts:
            return EmittedWindows.empty(size_ms)
        return _sorted_cells(
            np.concatenate([p.window_start_ms for p in parts]),
            np.concatenate([p.key for p in parts]),
            np.concatenate([p.count for p in parts]),
            size_ms,
        )

    def as_dict(self) -> dict[tuple[int, int], int]:
        """``{(window_start_ms, key): count}`` (for tests and small outputs)."""
        return {
            (int(s), int(k)): int(c)
            for s, k, c in zip(
                self.window_start_ms.tolist(), self.key.tolist(), self.count.tolist(), strict=True
            )
        }


@dataclass(frozen=True)
class BatchResult:
    """What one call to :meth:`WindowEngine.process` produced."""

    emitted: EmittedWindows
    late: I64  # indices (into the batch) of counted events that were late
    watermark_ms: int  # watermark after the batch (NO_EVENT_MS - lateness before any event)


def _sorted_cells(m_or_start: I64, key: I64, count: I64, size_ms: int) -> EmittedWindows:
    order = np.lexsort((key, m_or_start))
    return EmittedWindows(m_or_start[order], key[order], count[order], size_ms)
