"""Social events from simulator columns to JSON Lines bytes in one compiled pass.

Every social event line is a few integer fields, at most one enum word and one instant, so
one numba kernel spells them all from a template per topic: the literal head before each
integer, a tail word (picked by the enum's code) before the instant, then ``"}`` and a
newline. The bytes are exactly those of the topic's frame written by Polars (a test holds
the two to it); rows the kernel cannot spell that way are left to the Polars writer.
Views, nine events in ten, have their own kernel with the literals compiled in (a third
faster than copying them from arrays).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from vitrina.jit import inline, kernel
from vitrina.simulate.base import Table
from vitrina.spell import (
    DAY_MS,
    MAX_TS_MS,
    TS_WIDTH,
    put_date,
    put_int,
    put_text,
    put_time,
    text,
    word_table,
)

__all__ = ["event_ids", "events_jsonl", "views_jsonl"]

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]

_WORD = 48  # width of the literal tables: the longest literal must fit
_INT64_MIN = -(2**63)
_ID_WIDTH = 20  # digits of the largest int64


@inline
def _end_line(out: U8, pos: int, date: U8, last_day: int, ts_ms: int) -> tuple[int, int]:
    """The instant, ``"}`` and a newline at ``pos``; returns the position after them and the
    instant's day. ``date`` holds the date of ``last_day``: events come nearly in time order,
    so it is rarely spelled again."""
    day = ts_ms // DAY_MS
    if day != last_day:
        put_date(date, 0, day)
    put_time(out, put_text(out, pos, date), ts_ms - day * DAY_MS)
    return put_text(out, pos + TS_WIDTH, _END), day


@kernel
def _write_lines(
    out: U8,
    ints: I64,
    heads: U8,
    head_len: I64,
    code: npt.NDArray[np.int8],
    tails: U8,
    tail_len: I64,
    ts: I64,
) -> int:
    pos = 0
    date = np.empty(10, dtype=np.uint8)
    last_day = -1
    n, k = ints.shape
    for i in range(n):
        for f in range(k):
            # Exactly the literal's bytes: a padded word would be copied byte by byte anyway
            # (the compiler cannot tell the arrays apart), so fewer bytes is faster.
            pos = put_int(out, put_text(out, pos, heads[f, : head_len[f]]), ints[i, f])
        c = code[i]
        pos = put_text(out, pos, tails[c, : tail_len[c]])
        pos, last_day = _end_line(out, pos, date, last_day, ts[i])
    return pos


_local = threading.local()


def _buffer(size: int) -> U8:
    """A byte buffer of at least ``size``, reused by the thread's next writes: a fresh one
    per payload costs a page fault per 4 KiB, a quarter of the writing time."""
    buf: U8 | None = getattr(_local, "buffer", None)
    if buf is None or len(buf) < size:
        buf = np.empty(max(size, 2 * len(buf) if buf is not None else 0), dtype=np.uint8)
        _local.buffer = buf
    return buf


# The literals of a view line; numba freezes these globals into the compiled code, so each
# copy has a length known at compile time.
_VIEW = text(b'{"view_id":')
_POST = text(b',"post_id":')
_USER = text(b',"user_id":')
_AT = text(b',"viewed_at":"')
_END = text(b'"}\n')


@kernel
def _write_views(out: U8, view_id: I64, post_id: I64, user_id: I64, ts: I64) -> int:
    pos = 0
    date = np.empty(10, dtype=np.uint8)
    last_day = -1
    for i in range(len(ts)):
        pos = put_int(out, put_text(out, pos, _VIEW), view_id[i])
        pos = put_int(out, put_text(out, pos, _POST), post_id[i])
        pos = put_int(out, put_text(out, pos, _USER), user_id[i])
        pos = put_text(out, pos, _AT)
        pos, last_day = _end_line(out, pos, date, last_day, ts[i])
    return pos


def _spellable(ts: I64, ints: list[I64]) -> bool:
    """Instants in years 1970-9999 and integers whose negation does not overflow."""
    return 0 <= int(ts.min()) <= int(ts.max()) < MAX_TS_MS and all(
        int(v.min()) > _INT64_MIN for v in ints
    )


def views_jsonl(ev: Table) -> bytes | None:
    """View lines ``{"view_id":…,"post_id":…,"user_id":…,"viewed_at":"…"}``; None when a
    value is outside what the kernel spells."""
    ts = np.ascontiguousarray(ev["ts"], dtype=np.int64)
    if len(ts) == 0:
        return b""
    cols = [np.ascontiguousarray(ev[k], dtype=np.int64) for k in ("view_id", "post_id", "user_id")]
    if not _spellable(ts, cols):
        return None
    out = _buffer(len(ts) * (47 + 3 * 20 + TS_WIDTH))
    size = _write_views(out, cols[0], cols[1], cols[2], ts)
    return out[:size].tobytes()


@kernel
def _digits(ids: I64, out: U8) -> None:
    for i in range(len(ids)):
        put_int(out, i * _ID_WIDTH, ids[i])


def event_ids(ids: np.ndarray) -> np.ndarray:
    """The ``event_id`` column the driver reads: each id's decimal digits as an ``S20``
    array (what ``ids.astype("S20")`` gives, without numpy's slow per-value formatting)."""
    ids = np.ascontiguousarray(ids, dtype=np.int64)
    if len(ids) and int(ids.min()) < 0:
        return ids.astype("S20")  # a sign needs a 21st byte for the smallest int64
    out = np.zeros(len(ids) * _ID_WIDTH, dtype=np.uint8)
    _digits(ids, out)
    return out.view(f"S{_ID_WIDTH}")


def events_jsonl(
    int_fields: Sequence[str], enum: tuple[str, Sequence[str]] | None, time_field: str
) -> Callable[[Table], bytes | None]:
    """A writer of lines ``{"<int field>":n,…[,"<enum>":"<word>"],"<time field>":"<instant>"}``
    from columns of those names (the enum as codes into its words, the instant as ``ts``)."""
    heads_list = [
        ("{" if i == 0 else ",").encode() + f'"{name}":'.encode()
        for i, name in enumerate(int_fields)
    ]
    time_head = f'"{time_field}":"'.encode()
    if enum is None:
        tails_list = [b"," + time_head]
    else:
        field, words = enum
        tails_list = [f',"{field}":"{w}",'.encode() + time_head for w in words]
    heads, head_len = word_table(heads_list, _WORD)
    tails, tail_len = word_table(tails_list, _WORD)
    if max(heads.shape[1], tails.shape[1]) != _WORD:
        raise ValueError("events_jsonl: a field name is too long for the template")
    max_line = int(head_len.sum()) + 20 * len(int_fields) + int(tail_len.max()) + TS_WIDTH + 3
    n_words = len(tails_list)

    def write(ev: Table) -> bytes | None:
        ts = np.ascontiguousarray(ev["ts"], dtype=np.int64)
        n = len(ts)
        if n == 0:
            return b""
        ints = np.empty((n, len(int_fields)), dtype=np.int64)
        for f, name in enumerate(int_fields):
            ints[:, f] = ev[name]
        code = (
            np.zeros(n, dtype=np.int8)
            if enum is None
            else np.ascontiguousarray(ev[enum[0]], dtype=np.int8)
        )
        if not (_spellable(ts, [ints]) and 0 <= int(code.min()) <= int(code.max()) < n_words):
            return None
        out = _buffer(n * max_line)
        size = _write_lines(out, ints, heads, head_len, code, tails, tail_len, ts)
        return out[:size].tobytes()

    return write
