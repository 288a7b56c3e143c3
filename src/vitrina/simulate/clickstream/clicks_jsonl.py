"""Click events from simulator columns to JSON Lines bytes in one compiled pass.

The simulator's hot output path. Every click line has the same shape, so a numba kernel
copies the fixed parts of a template, the hex ids, two integers, two enum words and the
timestamp (civil date from epoch days, Hinnant's algorithm) straight into one preallocated
buffer: no per-event Python and no intermediate string columns. The bytes are exactly those
of ``clicks_frame(...).write_ndjson()`` (a test holds the two to it); rows that the kernel
cannot spell that way (see :func:`clicks_jsonl`) are left to the Polars writer.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from vitrina.jit import kernel
from vitrina.simulate.base import Table
from vitrina.simulate.clickstream.frames import DEVICES, EVENT_TYPES
from vitrina.spell import (
    DAY_MS,
    MAX_TS_MS,
    TS_WIDTH,
    put_date,
    put_int,
    put_time,
    text,
    word_table,
)

__all__ = ["clicks_jsonl"]

U8 = npt.NDArray[np.uint8]

# The literal parts of a click line, in contract field order. Numba freezes these globals into
# the compiled code, so every copy below has a length known at compile time (unrolled wide
# stores instead of a byte loop); the cached kernel is rebuilt only when this file changes, so
# the words are spelled here and checked against the simulator's vocabularies at import.
_TYPES = ("view", "click", "add_to_cart", "purchase")
_DEVICES = ("desktop", "mobile", "tablet")
if list(_TYPES) != EVENT_TYPES.tolist() or list(_DEVICES) != DEVICES.tolist():
    raise RuntimeError("clicks_jsonl: event types or devices differ from vitrina.simulate.activity")
_ID_WIDTH, _SESSION_WIDTH = 32, 16  # hex characters of event_id and session_id
_WORD = 40  # every variable word is copied as this many bytes, then the position moves on
_INT64_MIN = -(2**63)

_OPEN = text(b'{"event_id":"')
_USER = text(b'","user_id":')
_SESSION = text(b',"session_id":"')
_PRODUCT = text(b'","product_id":')
_OPEN_LEN, _USER_LEN, _SESSION_LEN, _PRODUCT_LEN = 13, 12, 15, 15
if [len(_OPEN), len(_USER), len(_SESSION), len(_PRODUCT)] != [13, 12, 15, 15]:
    raise RuntimeError("clicks_jsonl: template lengths are wrong")
# ',"event_type":"<type>","ts":"' and '","device":"<device>"}\n' as one word each.
_TYPE_WORDS, _TYPE_LEN = word_table(
    [b',"event_type":"' + t.encode() + b'","ts":"' for t in _TYPES], _WORD
)
_DEVICE_WORDS, _DEVICE_LEN = word_table(
    [b'","device":"' + d.encode() + b'"}\n' for d in _DEVICES], _WORD
)
if max(_TYPE_WORDS.shape[1], _DEVICE_WORDS.shape[1]) != _WORD:
    raise RuntimeError("clicks_jsonl: a word is longer than _WORD")
_MAX_LINE = (
    _OPEN_LEN
    + _ID_WIDTH
    + _USER_LEN
    + 20  # an int64 with its sign
    + _SESSION_LEN
    + _SESSION_WIDTH
    + _PRODUCT_LEN
    + 20
    + int(_TYPE_LEN.max())
    + TS_WIDTH
    + int(_DEVICE_LEN.max())
)


@kernel
def _write_lines(
    out: U8,
    event_id: U8,
    user_id: npt.NDArray[np.int64],
    session_id: U8,
    product_id: npt.NDArray[np.int64],
    event_type: npt.NDArray[np.int8],
    ts: npt.NDArray[np.int64],
    device: npt.NDArray[np.int8],
) -> int:
    pos = 0
    date = np.empty(10, dtype=np.uint8)
    last_day = -1
    for i in range(len(ts)):
        for j in range(_OPEN_LEN):
            out[pos + j] = _OPEN[j]
        pos += _OPEN_LEN
        for j in range(_ID_WIDTH):
            out[pos + j] = event_id[i, j]
        pos += _ID_WIDTH
        for j in range(_USER_LEN):
            out[pos + j] = _USER[j]
        pos = put_int(out, pos + _USER_LEN, user_id[i])
        for j in range(_SESSION_LEN):
            out[pos + j] = _SESSION[j]
        pos += _SESSION_LEN
        for j in range(_SESSION_WIDTH):
            out[pos + j] = session_id[i, j]
        pos += _SESSION_WIDTH
        for j in range(_PRODUCT_LEN):
            out[pos + j] = _PRODUCT[j]
        pos = put_int(out, pos + _PRODUCT_LEN, product_id[i])
        code = event_type[i]
        for j in range(_WORD):  # the whole padded word; the next field overwrites the rest
            out[pos + j] = _TYPE_WORDS[code, j]
        pos += _TYPE_LEN[code]
        day = ts[i] // DAY_MS
        if day != last_day:  # events come in time order: the date part rarely changes
            last_day = day
            put_date(date, 0, day)
        for j in range(10):
            out[pos + j] = date[j]
        put_time(out, pos + 10, ts[i] - day * DAY_MS)
        pos += TS_WIDTH
        code = device[i]
        for j in range(_WORD):
            out[pos + j] = _DEVICE_WORDS[code, j]
        pos += _DEVICE_LEN[code]
    return pos


def _byte_matrix(ids: np.ndarray) -> U8:
    """A numpy ``S<w>`` array as an ``(n, w)`` uint8 matrix (no copy when contiguous)."""
    ids = np.ascontiguousarray(ids)
    return ids.view(np.uint8).reshape(len(ids), ids.dtype.itemsize)


def clicks_jsonl(ev: Table) -> bytes | None:
    """The click lines of ``ev``; None when a value is outside what the kernel spells
    (a time outside years 1970-9999, an unknown event type or device code, an
    id of -2**63)."""
    ts = np.ascontiguousarray(ev["ts"], dtype=np.int64)
    n = len(ts)
    if n == 0:
        return b""
    user_id = np.ascontiguousarray(ev["user_id"], dtype=np.int64)
    product_id = np.ascontiguousarray(ev["product_id"], dtype=np.int64)
    event_type = np.ascontiguousarray(ev["event_type"], dtype=np.int8)
    device = np.ascontiguousarray(ev["device"], dtype=np.int8)
    if not (
        0 <= int(ts.min()) <= int(ts.max()) < MAX_TS_MS
        and 0 <= int(event_type.min()) <= int(event_type.max()) < len(_TYPE_LEN)
        and 0 <= int(device.min()) <= int(device.max()) < len(_DEVICE_LEN)
        and min(int(user_id.min()), int(product_id.min())) > _INT64_MIN  # its negation overflows
    ):
        return None
    event_id = _byte_matrix(ev["event_id"])
    session_id = _byte_matrix(ev["session_id"])
    if event_id.shape[1] != _ID_WIDTH or session_id.shape[1] != _SESSION_WIDTH:
        return None
    out = np.empty(n * _MAX_LINE + _WORD, dtype=np.uint8)  # room for the last padded word
    size = _write_lines(out, event_id, user_id, session_id, product_id, event_type, ts, device)
    return out[:size].tobytes()
