"""Window records as they leave the engine: {product_id, window_start, window_end, clicks}.

``windows_jsonl`` is on the stream job's output path (every closed window of every batch, and
the whole open state at a flush), so a compiled kernel spells the lines; they are exactly
``windows_frame(...).write_ndjson()`` (a test holds the two to it), which stays the fallback
for instants the kernel does not spell (before 1970 or after 9999).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import polars as pl

from vitrina.jit import kernel
from vitrina.spell import MAX_TS_MS, TS_WIDTH, put_int, put_ts, text
from vitrina.stream.engine import EmittedWindows

__all__ = ["ISO_MS", "windows_frame", "windows_jsonl", "windows_keys"]

# ISO-8601 UTC with milliseconds, the project's one timestamp spelling (timeutil.format_ts_ms).
ISO_MS = "%Y-%m-%dT%H:%M:%S%.3fZ"

_PRODUCT = text(b'{"product_id":')
_START = text(b',"window_start":"')
_END = text(b'","window_end":"')
_CLICKS = text(b'","clicks":')
_PRODUCT_LEN, _START_LEN, _END_LEN, _CLICKS_LEN = 14, 17, 16, 11  # compile-time constants
if [len(_PRODUCT), len(_START), len(_END), len(_CLICKS)] != [14, 17, 16, 11]:
    raise RuntimeError("records: template lengths are wrong")
_MAX_LINE = _PRODUCT_LEN + 20 + _START_LEN + 2 * TS_WIDTH + _END_LEN + _CLICKS_LEN + 20 + 2


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


@kernel
def _write_windows(
    out: npt.NDArray[np.uint8],
    key: npt.NDArray[np.int64],
    start_ms: npt.NDArray[np.int64],
    size_ms: int,
    count: npt.NDArray[np.int64],
) -> int:
    pos = 0
    for i in range(len(key)):
        for j in range(_PRODUCT_LEN):
            out[pos + j] = _PRODUCT[j]
        pos = put_int(out, pos + _PRODUCT_LEN, key[i])
        for j in range(_START_LEN):
            out[pos + j] = _START[j]
        pos = put_ts(out, pos + _START_LEN, start_ms[i])
        for j in range(_END_LEN):
            out[pos + j] = _END[j]
        pos = put_ts(out, pos + _END_LEN, start_ms[i] + size_ms)
        for j in range(_CLICKS_LEN):
            out[pos + j] = _CLICKS[j]
        pos = put_int(out, pos + _CLICKS_LEN, count[i])
        out[pos] = 125  # '}'
        out[pos + 1] = 10  # '\n'
        pos += 2
    return pos


def windows_jsonl(emitted: EmittedWindows) -> bytes:
    """The windows as JSON lines (each ending in a newline)."""
    n = len(emitted)
    if n == 0:
        return b""
    start = np.ascontiguousarray(emitted.window_start_ms, dtype=np.int64)
    key = np.ascontiguousarray(emitted.key, dtype=np.int64)
    count = np.ascontiguousarray(emitted.count, dtype=np.int64)
    spellable = (
        int(start.min()) >= 0
        and int(start.max()) + emitted.size_ms < MAX_TS_MS
        and min(int(key.min()), int(count.min())) > -(2**63)
    )
    if not spellable:
        return windows_frame(emitted).write_ndjson().encode()
    out = np.empty(n * _MAX_LINE, dtype=np.uint8)
    size = _write_windows(out, key, start, emitted.size_ms, count)
    return out[:size].tobytes()


def windows_keys(emitted: EmittedWindows) -> list[bytes]:
    """Message keys for the windows: the product id (so one product stays on one partition)."""
    keys: list[bytes] = emitted.key.astype("S20").tolist()
    return keys
