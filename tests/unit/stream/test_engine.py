"""The windowing engine against a brute-force per-event reference (hypothesis) and by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.windows import reference_windows
from vitrina.stream.engine import EmittedWindows, WindowEngine, WindowSpec

MIN = 60_000


def run_engine(
    engine: WindowEngine, events: list[tuple[int, int, bool]], cuts: list[int]
) -> tuple[EmittedWindows, list[int], list[tuple[int, EmittedWindows]]]:
    ts = np.array([e[0] for e in events], dtype=np.int64)
    keys = np.array([e[1] for e in events], dtype=np.int64)
    counted = np.array([e[2] for e in events], dtype=np.bool_)
    bounds = [0, *sorted(set(c for c in cuts if 0 < c < len(events))), len(events)]
    parts: list[EmittedWindows] = []
    late: list[int] = []
    emissions: list[tuple[int, EmittedWindows]] = []
    for lo, hi in itertools.pairwise(bounds):
        res = engine.process(ts[lo:hi], keys[lo:hi], counted[lo:hi])
        late += (res.late + lo).tolist()
        parts.append(res.emitted)
        emissions.append((res.watermark_ms, res.emitted))
    parts.append(engine.flush())
    return EmittedWindows.concat(parts, engine.spec.size_ms), late, emissions


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[WindowSpec, list[tuple[int, int, bool]], list[int]]:
    hop = draw(st.sampled_from([1, 2, 5, 7, 10, 60]))
    k = draw(st.integers(1, 6))
    lateness = draw(st.integers(0, 4 * hop * k))
    n = draw(st.integers(0, 300))
    n_keys = draw(st.integers(1, 6))
    key_base = draw(st.sampled_from([0, 1, -5, 10**12]))
    disorder = draw(st.integers(0, 6 * hop * k))
    start = draw(st.integers(-1000, 1000))
    step = draw(st.integers(0, 3))
    steps = draw(st.lists(st.integers(0, step * hop), min_size=n, max_size=n))
    jitters = draw(st.lists(st.integers(0, disorder), min_size=n, max_size=n))
    key_ids = draw(st.lists(st.integers(0, n_keys - 1), min_size=n, max_size=n))
    spread = draw(st.sampled_from([1, 1000]))
    counted = draw(st.lists(st.sampled_from([True, True, True, False]), min_size=n, max_size=n))
    times = np.cumsum(np.array(steps, dtype=np.int64)) + start - np.array(jitters, dtype=np.int64)
    events = [
        (int(t), key_base + kid * spread, c)
        for t, kid, c in zip(times, key_ids, counted, strict=True)
    ]
    cuts = draw(st.lists(st.integers(0, max(n, 1)), max_size=8))
    return WindowSpec(hop * k, hop, lateness), events, cuts


@settings(max_examples=250, deadline=None)
@given(scenarios())
def test_engine_matches_reference_for_any_batching(
    case: tuple[WindowSpec, list[tuple[int, int, bool]], list[int]],
) -> None:
    spec, events, cuts = case
    got, late, emissions = run_engine(WindowEngine(spec), events, cuts)
    want, want_late = reference_windows(events, spec.size_ms, spec.hop_ms, spec.lateness_ms)
    assert got.as_dict() == want
    assert len(got) == len(want)  # each window exactly once
    assert late == want_late
    # A window is emitted only once the watermark has reached its end.
    for watermark, emitted in emissions:
        assert bool(np.all(emitted.window_end_ms <= watermark))
    # Sorted by window start, then key.
    order = np.lexsort((got.key, got.window_start_ms))
    assert np.array_equal(order, np.arange(len(got)))


@settings(max_examples=100, deadline=None)
@given(scenarios(), st.integers(0, 300))
def test_checkpoint_round_trip_does_not_change_results(
    case: tuple[WindowSpec, list[tuple[int, int, bool]], list[int]], cut: int
) -> None:
    spec, events, _ = case
    whole, whole_late, _ = run_engine(WindowEngine(spec), events, [])
    first = WindowEngine(spec)
    a, late_a, _ = run_engine_no_flush(first, events[:cut])
    restored = WindowEngine.from_bytes(first.to_bytes(), spec)
    b, late_b, _ = run_engine(restored, events[cut:], [])
    merged = EmittedWindows.concat([a, b], spec.size_ms)
    assert merged.as_dict() == whole.as_dict()
    assert late_a + [i + min(cut, len(events)) for i in late_b] == whole_late


def run_engine_no_flush(
    engine: WindowEngine, events: list[tuple[int, int, bool]]
) -> tuple[EmittedWindows, list[int], None]:
    if not events:
        return EmittedWindows.empty(engine.spec.size_ms), [], None
    res = engine.process([e[0] for e in events], [e[1] for e in events], [e[2] for e in events])
    return res.emitted, res.late.tolist(), None


def test_boundaries_hopping_by_hand() -> None:
    spec = WindowSpec(5 * MIN, MIN, 30_000)
    eng = WindowEngine(spec)
    # 13:00:00 exactly and 13:04:59.999 are in window [13:00, 13:05); 13:05:00 is not.
    t0 = 1_800_000_000_000 - 1_800_000_000_000 % (5 * MIN)
    res = eng.process([t0, t0 + 5 * MIN - 1, t0 + 5 * MIN], [7, 7, 7])
    out = EmittedWindows.concat([res.emitted, eng.flush()], spec.size_ms).as_dict()
    assert out[(t0, 7)] == 2
    assert out[(t0 + MIN, 7)] == 2  # [t0+1m, t0+6m) holds the last two, not t0
    assert out[(t0 + 5 * MIN, 7)] == 1
    assert out[(t0 - 4 * MIN, 7)] == 1
    assert sum(out.values()) == 3 * 5
    assert len(out) == 10  # windows t0-4m .. t0+5m


def test_late_event_is_reported_and_not_counted() -> None:
    spec = WindowSpec(MIN, MIN, 30_000)  # tumbling
    eng = WindowEngine(spec)
    res = eng.process([0, 10 * MIN, 10 * MIN - 31_000, 8 * MIN], [1, 1, 1, 1])
    # 9:29 is inside window [9m,10m) whose end 10m > watermark 9m30s: not late.
    # 8m: window [8m, 9m) end 9m <= 9m30s: late.
    assert res.late.tolist() == [3]
    out = EmittedWindows.concat([res.emitted, eng.flush()], spec.size_ms).as_dict()
    assert out == {(0, 1): 1, (9 * MIN, 1): 1, (10 * MIN, 1): 1}
    assert eng.count_late == 1


def test_partly_late_event_counts_only_in_open_windows() -> None:
    spec = WindowSpec(3 * MIN, MIN, 0)
    eng = WindowEngine(spec)
    res = eng.process([5 * MIN, 4 * MIN + 1], [9, 9])
    # Watermark 5m closes windows ending <= 5m: [2m,5m). The event at 4m+1 is in [2m,5m),
    # [3m,6m), [4m,7m): it counts only in the last two.
    assert res.late.tolist() == []
    assert res.emitted.as_dict() == {}
    out = eng.flush().as_dict()
    assert out == {(3 * MIN, 9): 2, (4 * MIN, 9): 2, (5 * MIN, 9): 1}


def test_uncounted_events_move_the_watermark() -> None:
    eng = WindowEngine(WindowSpec(MIN, MIN, 0))
    res = eng.process([0, 5 * MIN, 1000], [1, 2, 1], [True, False, True])
    assert res.late.tolist() == [2]
    assert res.emitted.as_dict() == {(0, 1): 1}
    assert eng.flush().as_dict() == {}


def test_wide_key_range_and_large_input_split_internally() -> None:
    rng = np.random.default_rng(1)
    n = 50_000
    ts = np.sort(rng.integers(0, 3_600_000, n)) - rng.integers(0, 20_000, n)
    keys = rng.integers(0, 2**40, n)
    keys[::2] = 5
    eng = WindowEngine(WindowSpec(5 * MIN, MIN, 30_000))
    res = eng.process(ts, keys)
    out = EmittedWindows.concat([res.emitted, eng.flush()], 5 * MIN)
    assert int(out.count.sum()) == 5 * (n - len(res.late))
    events = list(zip(ts.tolist(), keys.tolist(), [True] * n, strict=True))
    want, want_late = reference_windows(events, 5 * MIN, MIN, 30_000)
    assert out.as_dict() == want
    assert res.late.tolist() == want_late


@pytest.mark.parametrize("n_late", [3, 60])
def test_few_or_many_late_events_in_a_long_batch(n_late: int) -> None:
    rng = np.random.default_rng(n_late)
    n = 200_000
    ts = np.arange(n, dtype=np.int64) * 30 - rng.integers(0, 10_000, n)
    where = rng.choice(n, n_late, replace=False)
    ts[where] -= rng.integers(0, 600_000, n_late)  # some late, some partly late
    keys = rng.integers(1, 50, n)
    counted = rng.random(n) < 0.7
    eng = WindowEngine(WindowSpec(5 * MIN, MIN, 30_000))
    res = eng.process(ts, keys, counted)
    out = EmittedWindows.concat([res.emitted, eng.flush()], 5 * MIN)
    events = list(zip(ts.tolist(), keys.tolist(), counted.tolist(), strict=True))
    want, want_late = reference_windows(events, 5 * MIN, MIN, 30_000)
    assert res.late.tolist() == want_late
    assert 0 < len(want_late) <= n_late
    assert out.as_dict() == want


def test_checkpoint_rejects_other_spec() -> None:
    eng = WindowEngine(WindowSpec(5 * MIN, MIN, 30_000))
    eng.process([1, 2], [3, 4])
    with pytest.raises(ValueError, match="checkpoint"):
        WindowEngine.from_bytes(eng.to_bytes(), WindowSpec(MIN, MIN, 0))
    back = WindowEngine.from_bytes(eng.to_bytes())
    assert back.open_cells == eng.open_cells == 10
    assert back.max_ts_ms == 2


@pytest.mark.parametrize(("size", "hop"), [(0, 1), (5, 2), (5, -1)])
def test_bad_spec_is_rejected(size: int, hop: int) -> None:
    with pytest.raises(ValueError):
        WindowSpec(size, hop, 0)
