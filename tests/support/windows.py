"""A brute-force, per-event reference of the pinned window semantics (for tests only)."""

from __future__ import annotations


def reference_windows(
    events: list[tuple[int, int, bool]], size_ms: int, hop_ms: int, lateness_ms: int
) -> tuple[dict[tuple[int, int], int], list[int]]:
    """Events (ts_ms, key, counted) in arrival order -> ({(start, key): count}, late indices)."""
    counts: dict[tuple[int, int], int] = {}
    late: list[int] = []
    max_seen: int | None = None
    for i, (ts, key, counted) in enumerate(events):
        watermark = None if max_seen is None else max_seen - lateness_ms
        if counted:
            added = False
            # Every window start s = m*hop with s <= ts < s + size, spelled out by brute force.
            start = (ts - size_ms) - (ts - size_ms) % hop_ms
            while start <= ts:
                if start <= ts < start + size_ms and (
                    watermark is None or start + size_ms > watermark
                ):
                    counts[(start, key)] = counts.get((start, key), 0) + 1
                    added = True
                start += hop_ms
            if not added:
                late.append(i)
        max_seen = ts if max_seen is None else max(max_seen, ts)
    return counts, late
