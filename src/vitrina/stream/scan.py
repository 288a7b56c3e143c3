"""The fast path of the click parser: one compiled pass over a buffer of JSON lines.

A numba kernel tokenises each line as a flat JSON object and takes out the three fields the
window needs (``product_id``, ``event_type``, ``ts``). It only *accepts* a line it can prove
clean and valid under the rules of :mod:`vitrina.stream.parse`: an object of plain ASCII
strings, numbers and literals, each of the three fields present once, a positive integer
``product_id`` of at most 18 digits, an event type spelled exactly as the contract spells it,
and a UTC time spelled ``YYYY-MM-DDTHH:MM:SS[.f…]Z`` (a real calendar day, seconds 0-59) inside
the accepted range of instants. Every other line (escapes, non-ASCII text, nesting, big
numbers, missing, repeated or odd fields, a type to normalise such as ``" Click"``, bad JSON,
blank lines) is *deferred* to the general parser, which gives the verdict and the reason. So
the kernel decides nothing the general parser would decide differently; a property test
holds the two to the same results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import numpy as np
import numpy.typing as npt
from numba.cpython.unsafe.numbers import trailing_zeros

from vitrina.contracts import EVENT_TYPES
from vitrina.jit import inline, kernel
from vitrina.spell import word_table
from vitrina.timeutil import END_INSTANT_MS, MIN_INSTANT_MS

__all__ = ["CLICK_CODE", "EVENT_CODES", "scan_clicks"]

# The event types in a fixed order; the kernel returns the index of a line's type.
EVENT_CODES: tuple[str, ...] = tuple(sorted(EVENT_TYPES))
CLICK_CODE = EVENT_CODES.index("click")

_ACCEPTED, _DEFERRED = 0, 1
_OTHER, _PRODUCT_ID, _EVENT_TYPE, _TS = 0, 1, 2, 3


# Row 0 is unused so that a key's row number is its field code.
_KEYS, _KEY_LEN = word_table([b"\x00", b"product_id", b"event_type", b"ts"])
_TYPES, _TYPE_LEN = word_table([t.encode() for t in EVENT_CODES])


@inline
def _ws(buf: npt.NDArray[np.uint8], i: int, end: int) -> int:
    while i < end and (buf[i] == 32 or buf[i] == 9):
        i += 1
    return i


# SWAR ("SIMD within a register"): test 8 bytes at once for a quote, a backslash, a control
# character or a non-ASCII byte; the lowest flagged byte is exact (a false flag can only sit
# above a true one), so ``trailing_zeros`` finds the first of them.
_ctz = cast(Callable[[np.uint64], int], trailing_zeros)  # index of the lowest set bit
_ONES = np.uint64(0x0101010101010101)
_HIGHS = np.uint64(0x8080808080808080)
_QUOTES = np.uint64(0x2222222222222222)
_SLASHES = np.uint64(0x5C5C5C5C5C5C5C5C)
_SPACES = np.uint64(0x2020202020202020)


@inline
def _load8(words: npt.NDArray[np.uint64], i: int) -> np.uint64:
    """The 8 bytes at ``i`` as a little-endian word, from two aligned words."""
    k = i >> 3
    shift = np.uint64((i & 7) * 8)
    low = np.uint64(words[k] >> shift)
    if shift == 0:
        return low
    return np.uint64(low | (words[k + 1] << (np.uint64(64) - shift)))


@inline
def _string_end(buf: npt.NDArray[np.uint8], words: npt.NDArray[np.uint64], i: int, end: int) -> int:
    """Index of the closing quote of a plain string starting at ``i``; -1 if not plain."""
    limit = min(end - 8, (len(words) - 1) * 8 - 1)  # both words of a load exist
    while i <= limit:
        v = _load8(words, i)
        q = v ^ _QUOTES
        b = v ^ _SLASHES
        flags = (((q - _ONES) & ~q) | ((b - _ONES) & ~b) | ((v - _SPACES) & ~v) | v) & _HIGHS
        if flags != 0:
            j = i + (_ctz(flags) >> 3)
            return j if buf[j] == 34 else -1
        i += 8
    while i < end:
        c = buf[i]
        if c == 34:
            return i
        if c == 92 or c < 32 or c >= 128:  # escape, control character, non-ASCII: defer
            return -1
        i += 1
    return -1


@inline
def _match(
    buf: npt.NDArray[np.uint8],
    s: int,
    e: int,
    words: npt.NDArray[np.uint8],
    lens: npt.NDArray[np.int64],
) -> int:
    """Row of ``words`` equal to ``buf[s:e]``, or -1."""
    for r in range(len(lens)):
        if lens[r] == e - s:
            same = True
            for j in range(e - s):
                if buf[s + j] != words[r, j]:
                    same = False
                    break
            if same:
                return r
    return -1


@kernel
def _digits(buf: npt.NDArray[np.uint8], s: int, n: int) -> int:
    """Value of ``n`` ASCII digits at ``s``; -1 if one is not a digit."""
    v = 0
    for j in range(n):
        d = buf[s + j] - 48
        if d < 0 or d > 9:
            return -1
        v = v * 10 + d
    return v


@kernel
def _ts_ms(buf: npt.NDArray[np.uint8], s: int, e: int) -> tuple[bool, int]:
    """Epoch ms of ``YYYY-MM-DDTHH:MM:SS[.f…]Z`` in ``buf[s:e]`` (fraction truncated to ms)."""
    if e - s < 20 or buf[e - 1] != 90:
        return False, 0
    if buf[s + 4] != 45 or buf[s + 7] != 45 or buf[s + 10] != 84:
        return False, 0
    if buf[s + 13] != 58 or buf[s + 16] != 58:
        return False, 0
    year, month, day = _digits(buf, s, 4), _digits(buf, s + 5, 2), _digits(buf, s + 8, 2)
    hour, minute, sec = _digits(buf, s + 11, 2), _digits(buf, s + 14, 2), _digits(buf, s + 17, 2)
    if year < 1970 or month < 1 or month > 12 or day < 1 or hour > 23 or minute > 59:
        return False, 0
    if sec < 0 or sec > 59:
        return False, 0
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    dim = 30 if month == 4 or month == 6 or month == 9 or month == 11 else 31
    if month == 2:
        dim = 29 if leap else 28
    if day > dim:
        return False, 0
    frac_ms = 0
    n_frac = e - 1 - (s + 19)
    if n_frac > 0:  # a dot, then 1-9 digits
        if buf[s + 19] != 46 or n_frac < 2 or n_frac > 10:
            return False, 0
        got = _digits(buf, s + 20, n_frac - 1)
        if got < 0:
            return False, 0
        for _ in range(n_frac - 1, 3):
            got *= 10
        for _ in range(3, n_frac - 1):
            got //= 10
        frac_ms = got
    y = year - 1 if month <= 2 else year
    era = y // 400
    yoe = y - era * 400
    mp = month - 3 if month > 2 else month + 9
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146_097 + doe - 719_468
    return True, days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + sec * 1000 + frac_ms


@inline
def _number_end(buf: npt.NDArray[np.uint8], i: int, end: int) -> int:
    """End of a JSON number at ``i`` of at most 18 digits and no exponent; -1 otherwise."""
    j = i + 1 if buf[i] == 45 else i
    start = j
    while j < end and 48 <= buf[j] <= 57:
        j += 1
    n_int = j - start
    if n_int == 0 or n_int > 18 or (n_int > 1 and buf[start] == 48):
        return -1
    if j < end and buf[j] == 46:
        k = j + 1
        while k < end and 48 <= buf[k] <= 57:
            k += 1
        if k == j + 1 or k - j - 1 > 17:
            return -1
        j = k
    if j < end and (buf[j] == 101 or buf[j] == 69):  # exponents: leave to the general parser
        return -1
    return j


@inline
def _literal_end(buf: npt.NDArray[np.uint8], i: int, end: int) -> int:
    c = buf[i]
    if c == 116 and i + 4 <= end and buf[i + 1] == 114 and buf[i + 2] == 117 and buf[i + 3] == 101:
        return i + 4
    if c == 110 and i + 4 <= end and buf[i + 1] == 117 and buf[i + 2] == 108 and buf[i + 3] == 108:
        return i + 4
    if (
        c == 102
        and i + 5 <= end
        and buf[i + 1] == 97
        and buf[i + 2] == 108
        and buf[i + 3] == 115
        and buf[i + 4] == 101
    ):
        return i + 5
    return -1


@inline
def _line(
    buf: npt.NDArray[np.uint8],
    words: npt.NDArray[np.uint64],
    i: int,
    end: int,
    keys: npt.NDArray[np.uint8],
    key_len: npt.NDArray[np.int64],
    types: npt.NDArray[np.uint8],
    type_len: npt.NDArray[np.int64],
    lo_ms: int,
    hi_ms: int,
) -> tuple[int, int, int, int, int]:
    """(verdict, product_id, ts_ms, event code, end) of the line starting at ``i``.

    A time outside ``[lo_ms, hi_ms)`` (the accepted range of instants) is deferred.

    ``end`` is the buffer's length: an accepted line ends at the next ``\n`` (or the buffer's
    end), whose position is returned; nothing here steps over a ``\n`` (a control character to
    every string, number and literal), so finding it costs no pass of its own. A deferred line
    returns -1 and the caller finds its end.
    """
    pid, ts, code, seen = 0, 0, -1, 0
    i = _ws(buf, i, end)
    if i >= end or buf[i] != 123:  # '{'
        return _DEFERRED, 0, 0, -1, -1
    i = _ws(buf, i + 1, end)
    while True:
        if i >= end or buf[i] != 34:
            return _DEFERRED, 0, 0, -1, -1
        k_end = _string_end(buf, words, i + 1, end)
        if k_end < 0:
            return _DEFERRED, 0, 0, -1, -1
        field = _match(buf, i + 1, k_end, keys, key_len)
        field = _OTHER if field < 0 else field
        i = _ws(buf, k_end + 1, end)
        if i >= end or buf[i] != 58:  # ':'
            return _DEFERRED, 0, 0, -1, -1
        i = _ws(buf, i + 1, end)
        if i >= end:
            return _DEFERRED, 0, 0, -1, -1
        c = buf[i]
        if field != _OTHER:
            if seen & (1 << field):  # a repeated field: leave it to the general parser
                return _DEFERRED, 0, 0, -1, -1
            seen |= 1 << field
        if c == 34:  # a string
            v_end = _string_end(buf, words, i + 1, end)
            if v_end < 0 or field == _PRODUCT_ID:
                return _DEFERRED, 0, 0, -1, -1
            if field == _EVENT_TYPE:
                code = _match(buf, i + 1, v_end, types, type_len)
                if code < 0:
                    return _DEFERRED, 0, 0, -1, -1
            elif field == _TS:
                good, ts = _ts_ms(buf, i + 1, v_end)
                if not good or ts < lo_ms or ts >= hi_ms:
                    return _DEFERRED, 0, 0, -1, -1
            i = v_end + 1
        elif c == 45 or 48 <= c <= 57:  # a number
            v_end = _number_end(buf, i, end)
            if v_end < 0 or field in (_EVENT_TYPE, _TS):
                return _DEFERRED, 0, 0, -1, -1
            if field == _PRODUCT_ID:
                if c == 45 or c == 48 or v_end - i > 18:
                    return _DEFERRED, 0, 0, -1, -1
                for j in range(i, v_end):
                    if buf[j] == 46:  # not an integer
                        return _DEFERRED, 0, 0, -1, -1
                    pid = pid * 10 + (buf[j] - 48)
            i = v_end
        else:  # true, false, null; objects and arrays are deferred
            v_end = _literal_end(buf, i, end)
            if v_end < 0 or field != _OTHER:
                return _DEFERRED, 0, 0, -1, -1
            i = v_end
        i = _ws(buf, i, end)
        if i < end and buf[i] == 44:  # ','
            i = _ws(buf, i + 1, end)
            continue
        if i < end and buf[i] == 125:  # '}'
            break
        return _DEFERRED, 0, 0, -1, -1
    i = _ws(buf, i + 1, end)
    if (i < end and buf[i] != 10) or seen != 0b1110:
        return _DEFERRED, 0, 0, -1, -1
    return _ACCEPTED, pid, ts, code, i


@kernel
def _scan(
    buf: npt.NDArray[np.uint8],
    words: npt.NDArray[np.uint64],
    keys: npt.NDArray[np.uint8],
    key_len: npt.NDArray[np.int64],
    types: npt.NDArray[np.uint8],
    type_len: npt.NDArray[np.int64],
    lo_ms: int,
    hi_ms: int,
) -> tuple[
    npt.NDArray[np.uint8], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int8]
]:
    n = len(buf)
    n_lines = 1
    for i in range(n):  # a loop without exits: vectorised
        n_lines += buf[i] == 10
    verdict = np.empty(n_lines, dtype=np.uint8)
    pid = np.empty(n_lines, dtype=np.int64)
    ts = np.empty(n_lines, dtype=np.int64)
    code = np.empty(n_lines, dtype=np.int8)
    start = 0
    for line in range(n_lines):
        v, p, t, c, end = _line(buf, words, start, n, keys, key_len, types, type_len, lo_ms, hi_ms)
        if end < 0:
            end = start
            while end < n and buf[end] != 10:
                end += 1
        verdict[line], pid[line], ts[line], code[line] = v, p, t, c
        start = end + 1
    return verdict, pid, ts, code


def scan_clicks(
    body: bytes,
) -> tuple[
    npt.NDArray[np.bool_], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int8]
]:
    """Per line of ``body`` (split at every ``\\n``): accepted?, product_id, ts_ms, event code.

    The values are meaningful only where the line is accepted; the other lines are the general
    parser's (see the module docstring).
    """
    buf = np.frombuffer(body, dtype=np.uint8)
    whole = len(buf) // 8 * 8
    if buf.ctypes.data % 8:  # bytes objects' data is aligned; a copy for anything else
        buf = buf.copy()
    words = buf[:whole].view(np.uint64)
    # The range is an argument, not a global: numba would freeze a global into its disk cache.
    verdict, pid, ts, code = _scan(
        buf, words, _KEYS, _KEY_LEN, _TYPES, _TYPE_LEN, MIN_INSTANT_MS, END_INSTANT_MS
    )
    return verdict == _ACCEPTED, pid, ts, code
