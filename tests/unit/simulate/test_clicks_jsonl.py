"""The compiled click writer spells exactly what the Polars writer does, or declines."""

from __future__ import annotations

import numpy as np
import orjson
import pytest

from vitrina.simulate.base import Table
from vitrina.simulate.clickstream.clicks_jsonl import clicks_jsonl
from vitrina.simulate.clickstream.frames import DEVICES, EVENT_TYPES, clicks_frame
from vitrina.simulate.output import ndjson

# Epoch, leap days, century rules, the last instant of 9999.
_EDGE_TS = [
    0,
    68_169_600_000,  # 1972-02-29
    951_782_400_000,  # 2000-02-29
    951_868_799_999,  # 2000-02-29T23:59:59.999
    4_107_542_400_000,  # 2100-03-01 (2100 is no leap year)
    1_767_225_599_999,
    253_402_300_799_999,  # 9999-12-31T23:59:59.999
]


def _events(n: int, seed: int) -> Table:
    rng = np.random.default_rng(seed)
    hexdigits = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    ts = rng.integers(0, 253_402_300_800_000, n)
    ts[: len(_EDGE_TS)] = _EDGE_TS[:n]
    ids = rng.integers(-(10**12), 10**12, n) // rng.choice([1, 10**6, 10**11], n)
    ids[:4] = [0, -1, 2**63 - 1, -(2**63) + 1][: min(n, 4)]
    return {
        "event_id": hexdigits[rng.integers(0, 16, (n, 32))].view("S32").ravel(),
        "user_id": ids,
        "session_id": hexdigits[rng.integers(0, 16, (n, 16))].view("S16").ravel(),
        "product_id": rng.permutation(ids),
        "event_type": rng.integers(0, len(EVENT_TYPES), n).astype(np.int8),
        "ts": ts,
        "device": rng.integers(0, len(DEVICES), n).astype(np.int8),
    }


@pytest.mark.parametrize(("n", "seed"), [(1, 0), (7, 1), (5_000, 2)])
def test_bytes_equal_the_polars_writer(n: int, seed: int) -> None:
    ev = _events(n, seed)
    fast = clicks_jsonl(ev)
    assert fast is not None
    assert fast == ndjson(clicks_frame(ev))
    assert fast.count(b"\n") == n


def test_edge_instants_are_spelled_as_iso_utc() -> None:
    lines = clicks_jsonl(_events(len(_EDGE_TS), 3))
    assert lines is not None
    spelled = [orjson.loads(x)["ts"] for x in lines.splitlines()]
    assert spelled[1] == "1972-02-29T00:00:00.000Z"
    assert spelled[3] == "2000-02-29T23:59:59.999Z"
    assert spelled[4] == "2100-03-01T00:00:00.000Z"
    assert spelled[6] == "9999-12-31T23:59:59.999Z"


def test_no_rows_is_no_bytes() -> None:
    assert clicks_jsonl({k: v[:0] for k, v in _events(3, 4).items()}) == b""


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("ts", -1),
        ("ts", 253_402_300_800_000),
        ("event_type", 4),
        ("device", -1),
        ("user_id", -(2**63)),
    ],
)
def test_values_it_cannot_spell_are_declined(column: str, value: int) -> None:
    ev = _events(10, 5)
    ev[column] = ev[column].copy()
    ev[column][6] = value
    assert clicks_jsonl(ev) is None
