"""Durations, instants and ISO-8601 formatting: one vocabulary for the CLI, config and events."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

__all__ = [
    "format_ts_ms",
    "parse_duration_ms",
    "parse_instant_ms",
    "utc_now_ms",
]

_UNITS_MS = {"ms": 1, "s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$")
_TERM = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w)")


def parse_duration_ms(text: str | int) -> int:
    """Parse ``'5m'``, ``'1h30m'``, ``'500ms'``, ``'1d'`` (or a number of ms) into milliseconds."""
    if isinstance(text, int):
        if text < 0:
            raise ValueError(f"negative duration: {text}")
        return text
    s = text.strip().lower().replace(" ", "")
    if _DURATION.match(s):
        value, unit = _DURATION.match(s).groups()  # type: ignore[union-attr]
        return round(float(value) * _UNITS_MS[unit])
    pos, total = 0, 0.0
    for m in _TERM.finditer(s):
        if m.start() != pos:
            break
        total += float(m.group(1)) * _UNITS_MS[m.group(2)]
        pos = m.end()
    if pos != len(s) or not s:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30s, 5m, 1h, 1d)")
    return round(total)


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
