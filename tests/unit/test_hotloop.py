"""GcClock: no automatic collections inside, cycles collected on the clock, state restored."""

from __future__ import annotations

import gc
import time

from vitrina.hotloop import GcClock


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_collector_is_off_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with GcClock(every_s=3600):
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_cycles_are_collected_on_the_clock() -> None:
    with GcClock(every_s=0.05) as clock:
        for _ in range(1000):
            _Cycle()
        clock.tick()  # too early: nothing collected yet
        assert clock.collections == 0
        time.sleep(0.06)
        before = len(gc.get_objects())
        clock.tick()
        assert clock.collections == 1
        assert len(gc.get_objects()) <= before - 1000
