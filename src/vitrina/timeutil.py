"""Durations, instants and ISO-8601 formatting: one vocabulary for the CLI, config and events."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

__all__ = [
    "MAX_DURATION_MS",
    "format_duration_ms",
    "format_ts_ms",
    "parse_duration_ms",
    "parse_instant_ms",
    "utc_now_ms",
]

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
    """Parse an ISO-8601 instant or date (UTC when no offset is given), or ``now``, into epoch ms."""
    s = text.strip()
    if s.lower() == "now":
        return utc_now_ms() if now_ms is None else now_ms
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
    return int(dt.timestamp() * 1000)


def utc_now_ms() -> int:
    """The current wall-clock time in epoch milliseconds."""
    return int(datetime.now(tz=UTC).timestamp() * 1000)


def format_ts_ms(ms: int) -> str:
    """Epoch ms to ``2026-11-22T13:00:00.000Z``."""
    dt = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=int(ms))
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
