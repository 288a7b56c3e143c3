"""Window records as they leave the engine: {product_id, window_start, window_end, clicks}."""

from __future__ import annotations

import polars as pl

from vitrina.stream.engine import EmittedWindows

__all__ = ["ISO_MS", "windows_frame", "windows_jsonl", "windows_keys"]

# ISO-8601 UTC with milliseconds, the project's one timestamp spelling (timeutil.format_ts_ms).
ISO_MS = "%Y-%m-%dT%H:%M:%S%.3fZ"


def _iso(col: str) -> pl.Expr:
    return pl.from_epoch(pl.col(col), time_unit="ms").dt.strftime(ISO_MS)


def windows_frame(emitted: EmittedWindows, *, iso: bool = True) -> pl.DataFrame:
    """One row per window, sorted by window start then product; times ISO text or epoch ms."""
    frame = pl.DataFrame(
        {
            "product_id": emitted.key,
            "window_start": emitted.window_start_ms,
            "window_end": emitted.window_end_ms,
            "clicks": emitted.count,
        },
        schema={
            "product_id": pl.Int64,
            "window_start": pl.Int64,
            "window_end": pl.Int64,
            "clicks": pl.Int64,
        },
    )
    if iso:
        frame = frame.with_columns(_iso("window_start"), _iso("window_end"))
    return frame


def windows_jsonl(emitted: EmittedWindows) -> bytes:
    """The windows as JSON lines (each ending in a newline)."""
    if len(emitted) == 0:
        return b""
    return windows_frame(emitted).write_ndjson().encode()


def windows_keys(emitted: EmittedWindows) -> list[bytes]:
    """Message keys for the windows: the product id (so one product stays on one partition)."""
    return [str(k).encode() for k in emitted.key.tolist()]
