"""The compiled writer of social events gives the Polars writer's bytes; event ids as numpy's."""

from __future__ import annotations

import numpy as np

from tests.unit.simulate.social_sim import START_MS
from vitrina.simulate.base import HOUR_MS, SimulationParams
from vitrina.simulate.output import ndjson
from vitrina.simulate.social import simulator
from vitrina.simulate.social.events_jsonl import event_ids


def test_compiled_lines_equal_the_frame_writer() -> None:
    sim = simulator()
    params = SimulationParams(
        seed=2, scale="classic", start_ms=START_MS, duration_ms=2 * HOUR_MS, domain="social"
    )
    run = sim.start(params)
    seen = dict.fromkeys(sim.topics, 0)
    for h in range(2):
        for topic, rows in run.hour(
            h, START_MS + h * HOUR_MS, START_MS + (h + 1) * HOUR_MS
        ).items():
            spec = sim.topics[topic]
            assert spec.jsonl is not None
            assert spec.jsonl(rows) == ndjson(spec.frame(rows)), topic
            seen[topic] += len(rows["ts"])
    assert min(seen.values()) > 0 and seen["social_views"] > 10_000


def test_what_the_kernel_cannot_spell_goes_to_polars() -> None:
    writer = simulator().topics["social_user_status"].jsonl
    assert writer is not None
    rows = {
        "user_id": np.array([1, 2]),
        "status": np.array([0, 1], np.int8),
        "ts": np.array([5, -1]),
    }
    assert writer(rows) is None  # a time before 1970
    rows = {"user_id": np.array([1]), "status": np.array([2], np.int8), "ts": np.array([5])}
    assert writer(rows) is None  # no such status
    rows = {"user_id": np.array([7]), "status": np.array([1], np.int8), "ts": np.array([1_500])}
    assert (
        writer(rows)
        == b'{"user_id":7,"status":"offline","changed_at":"1970-01-01T00:00:01.500Z"}\n'
    )


def test_event_ids_spell_ids_as_numpy_does() -> None:
    ids = np.array([1, 9, 10, 99, 100, 123_456_789, 2**62, 2**63 - 1, 0])
    assert (event_ids(ids) == ids.astype("S20")).all()
    signed = np.array([-5, 12])
    assert (event_ids(signed) == signed.astype("S20")).all()
