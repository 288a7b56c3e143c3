"""The data interval a job works on: half-open ``[start, end)`` in UTC epoch milliseconds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from vitrina.config import Settings
from vitrina.errors import UsageError
from vitrina.timeutil import check_interval_ms, format_ts_ms, parse_instant_ms, utc_now_ms

__all__ = ["Interval", "Report", "default_interval"]

_MINUTE_MS = 60_000


class Report(Protocol):
    """What every job returns: its figures as ``(what, value)`` rows for a summary."""

    def rows(self) -> list[tuple[str, str]]: ...


@dataclass(frozen=True, order=True)
class Interval:
    """``[start_ms, end_ms)``: an event at ``end_ms`` belongs to the next interval.

    Both ends lie in the accepted range of instants (``vitrina.timeutil.INSTANT_RANGE``);
    outside it is :class:`vitrina.timeutil.InstantOutOfRange`, a usage error.
    """

    start_ms: int
    end_ms: int

    def __post_init__(self) -> None:
        check_interval_ms(self.start_ms, self.end_ms)
        if self.end_ms <= self.start_ms:
            raise ValueError(
                f"empty interval: end {format_ts_ms(self.end_ms)} is not after "
                f"start {format_ts_ms(self.start_ms)}"
            )

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms

    def __contains__(self, ts_ms: object) -> bool:
        return isinstance(ts_ms, int) and self.start_ms <= ts_ms < self.end_ms

    def __str__(self) -> str:
        return f"[{format_ts_ms(self.start_ms)}, {format_ts_ms(self.end_ms)})"

    @classmethod
    def parse(cls, start: str, end: str) -> Interval:
        """From two ISO-8601 instants (as Airflow's ``data_interval_start/end`` print)."""
        try:
            return cls(parse_instant_ms(start), parse_instant_ms(end))
        except ValueError as exc:
            raise UsageError(str(exc)) from exc


def default_interval(settings: Settings, *, now_ms: int | None = None) -> Interval:
    """The interval ``simulate.start`` and ``simulate.duration`` describe.

    An instant starts the interval. ``now`` depends on the speed: as fast as possible
    (speed 0) the interval ends now, so nothing is dated in the future; a live run
    (speed > 0) starts now and unfolds in real time. Now is cut to the whole minute.
    """
    sim = settings.simulate
    try:
        if sim.start.strip().lower() != "now":
            start = parse_instant_ms(sim.start)
            return Interval(start, start + sim.duration_ms)
        now = utc_now_ms() if now_ms is None else now_ms
        now -= now % _MINUTE_MS
        if sim.speed > 0:
            return Interval(now, now + sim.duration_ms)
        return Interval(now - sim.duration_ms, now)
    except ValueError as exc:
        raise UsageError(f"simulate.duration: {exc}") from exc
