"""Compiled helpers that spell integers and UTC instants as JSON text, for the JSONL writers.

Each helper writes into a preallocated byte buffer at a position and is compiled into the
kernel that calls it (:func:`vitrina.jit.inline`). Positions are cast to unsigned where they
index: numba wraps every signed subscript around (a negative index counts from the end), and
that check costs more than the store it guards. Instants are spelled the project's one way,
``YYYY-MM-DDTHH:MM:SS.mmmZ``, for epoch milliseconds in ``[0, MAX_TS_MS)``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from vitrina.jit import inline

__all__ = [
    "DAY_MS",
    "MAX_TS_MS",
    "TS_WIDTH",
    "put_date",
    "put_int",
    "put_pair",
    "put_text",
    "put_time",
    "put_ts",
    "text",
    "word_table",
]

U8 = npt.NDArray[np.uint8]

DAY_MS = 86_400_000
MAX_TS_MS = 253_402_300_800_000  # 10000-01-01T00:00:00Z: four-digit years only
TS_WIDTH = 24  # len("2026-01-01T00:00:00.000Z")


def text(word: bytes) -> U8:
    """A byte string as a uint8 array: a constant a kernel copies from."""
    return np.frombuffer(word, dtype=np.uint8).copy()


def word_table(words: list[bytes], width: int = 0) -> tuple[U8, npt.NDArray[np.int64]]:
    """Words as the rows of a zero-padded byte matrix (``width`` wide, or the longest word's)
    and their lengths: what a kernel indexes by a word's number."""
    width = max(width, *(len(w) for w in words))
    mat = np.zeros((len(words), width), dtype=np.uint8)
    for i, w in enumerate(words):
        mat[i, : len(w)] = np.frombuffer(w, dtype=np.uint8)
    return mat, np.array([len(w) for w in words], dtype=np.int64)


# "00" .. "99": two digits per lookup instead of a division per digit.
_PAIRS = text("".join(f"{i:02d}" for i in range(100)).encode())
_POW10 = np.array([10**k for k in range(19)], dtype=np.int64)


_U = np.uint64


@inline
def put_text(out: U8, pos: int, word: U8) -> int:
    """``word`` (a constant of the kernel, see :func:`text`) at ``pos``; returns the position
    after it. Copied through a slice, so the offsets are known and the stores merge."""
    seg = out[pos : pos + len(word)]
    for j in range(len(word)):
        seg[j] = word[j]
    return pos + len(word)


@inline
def put_pair(out: U8, pos: int, value: int) -> None:
    k = _U(2 * value)
    out[_U(pos)] = _PAIRS[k]
    out[_U(pos + 1)] = _PAIRS[k + _U(1)]


@inline
def put_int(out: U8, pos: int, value: int) -> int:
    if value < 0:
        out[_U(pos)] = 45  # '-'
        pos += 1
        value = -value
    digits = 1
    while digits < 19 and value >= _POW10[_U(digits)]:
        digits += 1
    end = pos + digits
    p = end
    while value >= 100:
        q = value // 100
        p -= 2
        put_pair(out, p, value - q * 100)
        value = q
    if value >= 10:
        put_pair(out, p - 2, value)
    else:
        out[_U(p - 1)] = 48 + value
    return end


@inline
def put_date(out: U8, pos: int, days: int) -> None:
    """``YYYY-MM-DD`` of a day number since the epoch (Hinnant's civil-from-days)."""
    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    put_pair(out, pos, year // 100)
    put_pair(out, pos + 2, year % 100)
    out[_U(pos + 4)] = 45  # '-'
    put_pair(out, pos + 5, month)
    out[_U(pos + 7)] = 45
    put_pair(out, pos + 8, day)


@inline
def put_time(out: U8, pos: int, ms_of_day: int) -> None:
    """``THH:MM:SS.mmmZ`` of a millisecond of the day."""
    hour = ms_of_day // 3_600_000
    rest = ms_of_day - hour * 3_600_000
    minute = rest // 60_000
    rest -= minute * 60_000
    sec = rest // 1000
    ms = rest - sec * 1000
    out[_U(pos)] = 84  # 'T'
    put_pair(out, pos + 1, hour)
    out[_U(pos + 3)] = 58  # ':'
    put_pair(out, pos + 4, minute)
    out[_U(pos + 6)] = 58
    put_pair(out, pos + 7, sec)
    out[_U(pos + 9)] = 46  # '.'
    out[_U(pos + 10)] = 48 + ms // 100
    put_pair(out, pos + 11, ms % 100)
    out[_U(pos + 13)] = 90  # 'Z'


@inline
def put_ts(out: U8, pos: int, ts_ms: int) -> int:
    """The instant at ``pos``; returns the position after it."""
    day = ts_ms // DAY_MS
    put_date(out, pos, day)
    put_time(out, pos + 10, ts_ms - day * DAY_MS)
    return pos + TS_WIDTH
