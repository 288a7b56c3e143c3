"""Streaming: per-product click counts in event-time windows (engine, `vitrina window`, the job)."""

from __future__ import annotations

from vitrina.stream.engine import BatchResult, EmittedWindows, WindowEngine, WindowSpec

__all__ = ["BatchResult", "EmittedWindows", "WindowEngine", "WindowSpec"]
