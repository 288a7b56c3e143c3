"""Durations, instants and ISO-8601 formatting: one vocabulary for the CLI, config and events.

Every instant vitrina accepts (a command's ``--start``, a configured start, an event's ``ts``,
a record's timestamp or date, a window bound, an event-log slice) lies in one range,
``[1970-01-01T00:00:00Z, 2100-01-01T00:00:00Z)``: from the Unix epoch, which windows and slice
names count from, to a bound far enough for any real data and short of the years that every
store, format and file name spells alike (four digits).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Final

from vitrina.errors import UsageError

__all__ = [
    "END_INSTANT_MS",
    "INSTANT_RANGE",
    "MAX_DURATION_MS",
    "MIN_INSTANT_MS",
    "InstantOutOfRange",
    "check_instant_ms",
    "check_interval_ms",
    "format_duration_ms",
    "format_ts_ms",
    "in_instant_range",
    "parse_duration_ms",
    "parse_instant_ms",
    "utc_now_ms",
]

MIN_INSTANT_MS: Final = 0  # 1970-01-01T00:00:00Z, the first accepted instant
END_INSTANT_MS: Final = 4_102_444_800_000  # 2100-01-01T00:00:00Z, the first one after the range
INSTANT_RANGE: Final = "[1970-01-01T00:00:00Z, 2100-01-01T00:00:00Z)"


class InstantOutOfRange(UsageError, ValueError):
    """An instant outside :data:`INSTANT_RANGE`: bad usage, and a ``ValueError`` to the parsers
    that name the option or key it came from."""


def in_instant_range(ms: int) -> bool:
    """Whether epoch ``ms`` lies in the accepted range of instants."""
    return MIN_INSTANT_MS <= ms < END_INSTANT_MS


def check_instant_ms(ms: int, what: str = "", *, end: bool = False) -> int:
    """``ms`` when it lies in the accepted range (``end``: an exclusive end, which may equal
    its upper bound), else :class:`InstantOutOfRange` with one line naming ``what``."""
    if ms >= MIN_INSTANT_MS and (ms <= END_INSTANT_MS if end else ms < END_INSTANT_MS):
        return ms
    head = f"{what}: " if what else ""
    raise InstantOutOfRange(
        f"{head}{_show(ms)} is outside the accepted range of instants {INSTANT_RANGE}"
    )


def check_interval_ms(start_ms: int, end_ms: int, what: str = "interval") -> tuple[int, int]:
    """``(start_ms, end_ms)`` when the half-open interval lies inside the accepted range, else
    :class:`InstantOutOfRange` with one line naming ``what``."""
    inside = MIN_INSTANT_MS <= start_ms < END_INSTANT_MS
    if inside and MIN_INSTANT_MS <= end_ms <= END_INSTANT_MS:
        return start_ms, end_ms
    raise InstantOutOfRange(
        f"{what}: [{_show(start_ms)}, {_show(end_ms)}) leaves the accepted range of instants "
        f"{INSTANT_RANGE}"
    )


def _show(ms: int) -> str:
    try:
        return format_ts_ms(ms)
    except (OverflowError, ValueError):  # beyond what datetime spells (years 1..9999)
        return f"{ms} ms after 1970-01-01T00:00:00Z"


_UNITS_MS = {"ms": 1, "s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}
_TERM = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w)")
# Far beyond any window, lateness or simulated period, and small enough that an instant plus
# a duration stays a valid date: 99999999999d would overflow every datetime library.
MAX_DURATION_MS = 36_500 * 86_400_000
DURATION_RULE = (
    "a number with a unit: ms, s, m, h, d or w (e.g. 500ms, 30s, 5m, 1h30m, 1d); 0 needs none"
)


def parse_duration_ms(text: str | int) -> int:
    """Parse ``'5m'``, ``'1h30m'``, ``'500ms'``, ``'1d'`` into milliseconds.

    One rule for every source (flags, vitrina.toml, the environment): a unit is required,
    except for a bare ``0``; at most :data:`MAX_DURATION_MS` (36500d).
    """
    if isinstance(text, bool):
        raise ValueError(f"not a duration: {text!r} ({DURATION_RULE})")
    if isinstance(text, int) or (isinstance(text, float) and text == 0):
        if text != 0:
            raise ValueError(f"{text!r} has no unit ({DURATION_RULE})")
        return 0
    if not isinstance(text, str):
        raise ValueError(f"not a duration: {text!r} ({DURATION_RULE})")
    s = text.strip().lower().replace(" ", "")
    if re.fullmatch(r"0+(\.0*)?", s):
        return 0
    pos, total = 0, 0.0
    for m in _TERM.finditer(s):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNITS_MS[m.group(2)]
        pos = m.end()
    if pos != len(s) or not s:
        raise ValueError(f"not a duration: {text!r} ({DURATION_RULE})")
    if total > MAX_DURATION_MS:
        raise ValueError(f"duration {text!r} is longer than 36500d")
    return round(total)


def format_duration_ms(ms: int) -> str:
    """Milliseconds as the shortest exact duration text: 300000 -> ``'5m'``, 90000 -> ``'1m30s'``."""
    if ms == 0:
        return "0s"
    parts: list[str] = []
    rest = ms
    for unit in ("d", "h", "m", "s", "ms"):
        size = _UNITS_MS[unit]
        if rest >= size:
            parts.append(f"{rest // size}{unit}")
            rest %= size
    return "".join(parts)


def parse_instant_ms(text: str, *, now_ms: int | None = None) -> int:
    """Parse an ISO-8601 instant or date (UTC when no offset is given), or ``now``, into epoch ms.

    A malformed text is a ``ValueError``; an instant outside the accepted range is
    :class:`InstantOutOfRange` (a ``ValueError`` too).
    """
    s = text.strip()
    if s.lower() == "now":
        return check_instant_ms(utc_now_ms() if now_ms is None else now_ms)
    try:
        if len(s) == 10:
            d = date.fromisoformat(s)
            dt = datetime(d.year, d.month, d.day, tzinfo=UTC)
        else:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=UTC)
    except ValueError as exc:
        raise ValueError(
            f"not an ISO-8601 instant: {text!r} (use e.g. 2026-11-01T00:00:00Z)"
        ) from exc
    delta = dt - datetime(1970, 1, 1, tzinfo=UTC)  # exact, unlike float seconds
    return check_instant_ms(delta // timedelta(milliseconds=1))


def utc_now_ms() -> int:
    """The current wall-clock time in epoch milliseconds."""
    return int(datetime.now(tz=UTC).timestamp() * 1000)


def format_ts_ms(ms: int) -> str:
    """Epoch ms to ``2026-11-22T13:00:00.000Z`` (years 1-9999; four-digit years always)."""
    dt = datetime(1970, 1, 1) + timedelta(milliseconds=int(ms))
    return dt.isoformat(timespec="milliseconds") + "Z"
