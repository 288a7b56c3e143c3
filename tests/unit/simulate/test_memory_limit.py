"""The simulator writes a slice in pieces of bounded size: the same bytes, less memory held.

A slice is spelled :data:`JSONL_CHUNK_ROWS` rows at a time, so the compiled writers' reused
buffer is sized by a piece, not by the largest hour (at the large preset an hour holds about
6 million views: a buffer of 0.8 GB kept for the rest of the process). The bounded run is a
fresh process writing 3 million views: what it still holds once the payload is dropped, and
its peak over what it held before writing, are checked against fixed ceilings.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from tests.support.simulation import run_sim
from vitrina.simulate import run as run_module
from vitrina.simulate.faults import FaultRates

VIEWS = 3_000_000
# Spell 3 M views in a fresh process: RSS before, peak, RSS after dropping the payload, size.
_WRITE = """
import re, sys, numpy as np, orjson
from vitrina.simulate.run import _jsonl_in_chunks
from vitrina.simulate.social.events_jsonl import views_jsonl

def kb(name):
    return int(re.search(name + r":\\s+(\\d+)", open("/proc/self/status").read()).group(1))

n = int(sys.argv[1])
ids = np.arange(1, n + 1, dtype=np.int64)
rows = {"view_id": ids, "post_id": ids % 9_973 + 1, "user_id": ids % 99_991 + 1,
        "ts": 1_793_577_600_000 + ids * 7}
_jsonl_in_chunks(views_jsonl, {k: v[:1000] for k, v in rows.items()})  # compiled, buffer made
base = kb("VmRSS")
payload = _jsonl_in_chunks(views_jsonl, rows)
size = len(payload)
assert payload.count(b"\\n") == n
del payload
print(orjson.dumps([base, kb("VmHWM"), kb("VmRSS"), size]).decode())
"""


def test_writing_in_pieces_gives_the_bytes_of_one_piece(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    faults = FaultRates(duplicate=0.02, late=0.02, malformed=0.01)
    whole = run_sim(tmp_path / "whole", scale="classic", hours=2, seed=4, faults=faults)
    monkeypatch.setattr(run_module, "JSONL_CHUNK_ROWS", 97)
    pieces = run_sim(tmp_path / "pieces", scale="classic", hours=2, seed=4, faults=faults)
    topics = ("clicks", "social_views", "social_user_status", "social_ad_impressions")
    for topic in topics:
        assert whole.report.events[topic] > 10 * 97, topic
        files = [f.name for f in whole.log.list(topic)]
        assert [f.name for f in pieces.log.list(topic)] == files
        assert pieces.topic_bytes(topic) == whole.topic_bytes(topic), topic
    assert pieces.report.events == whole.report.events
    manifest = (tmp_path / "whole" / "faults.jsonl").read_bytes()
    assert manifest.count(b"\n") > 10
    assert (tmp_path / "pieces" / "faults.jsonl").read_bytes() == manifest


def test_a_large_slice_is_spelled_in_bounded_memory() -> None:
    res = subprocess.run(
        [sys.executable, "-c", _WRITE, str(VIEWS)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    base_kb, peak_kb, after_kb, size = orjson.loads(res.stdout.strip().splitlines()[-1])
    assert size > 80 * VIEWS  # about 85 bytes a view line
    # Held after the payload is dropped: the reused buffer of one piece (35 MB), not one
    # sized by the slice (3 M x 131 bytes: 390 MB).
    assert after_kb - base_kb < 64 * 1024, (base_kb, after_kb)
    # At the peak: the pieces and the joined payload, twice the payload plus a piece; one
    # buffer for the whole slice would add 1.5 payloads more.
    assert peak_kb - base_kb < 2 * size // 1024 + 96 * 1024, (base_kb, peak_kb, size)
