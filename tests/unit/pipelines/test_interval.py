"""The Interval every job takes, and the default one the settings describe."""

from __future__ import annotations

from pathlib import Path

import pytest

from vitrina.config import load_settings
from vitrina.errors import UsageError
from vitrina.pipelines import Interval, default_interval
from vitrina.pipelines.simulate import params_from_settings
from vitrina.timeutil import parse_instant_ms

NOW = parse_instant_ms("2026-11-02T10:17:42.500Z")
MINUTE = parse_instant_ms("2026-11-02T10:17:00Z")
HOUR = 3_600_000


def _interval(tmp_path: Path, **simulate: object) -> Interval:
    settings = load_settings(environ={}, cwd=tmp_path, overrides={"simulate": simulate})
    return default_interval(settings, now_ms=NOW)


def test_now_at_speed_zero_ends_now(tmp_path: Path) -> None:
    assert _interval(tmp_path, duration="6h") == Interval(MINUTE - 6 * HOUR, MINUTE)


def test_now_in_a_live_run_starts_now(tmp_path: Path) -> None:
    assert _interval(tmp_path, duration="2h", speed=60) == Interval(MINUTE, MINUTE + 2 * HOUR)


def test_an_instant_starts_the_interval(tmp_path: Path) -> None:
    start = parse_instant_ms("2026-11-02T00:00:00Z")
    for speed in (0, 1):
        got = _interval(tmp_path, start="2026-11-02", duration="1d", speed=speed)
        assert got == Interval(start, start + 24 * HOUR)


def test_interval_is_half_open_and_never_empty() -> None:
    i = Interval(1_000, 2_000)
    assert (1_000 in i, 1_999 in i, 2_000 in i, 999 in i) == (True, True, False, False)
    assert i.duration_ms == 1_000
    assert str(Interval(0, 60_000)) == "[1970-01-01T00:00:00.000Z, 1970-01-01T00:01:00.000Z)"
    with pytest.raises(ValueError, match="empty interval"):
        Interval(5, 5)
    assert Interval.parse("2026-11-02", "2026-11-03").duration_ms == 24 * HOUR
    with pytest.raises(UsageError, match="ISO-8601"):
        Interval.parse("yesterday", "2026-11-03")


def test_simulator_parameters_follow_the_interval(tmp_path: Path) -> None:
    settings = load_settings(environ={}, cwd=tmp_path, overrides={"simulate": {"slice": "15m"}})
    params = params_from_settings(settings, "shop", Interval(MINUTE, MINUTE + 3 * HOUR))
    assert (params.start_ms, params.duration_ms, params.slice_ms) == (MINUTE, 3 * HOUR, 900_000)
    assert params.domain == "shop" and params.seed == 42
