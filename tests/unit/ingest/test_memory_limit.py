"""Ingest under a memory limit far below the data: same tables as without the limit.

The bounded run is a fresh process: DuckDB gets a ``memory_limit`` well below the size of
the event files, and the process's own peak memory (VmHWM) over what it holds once the code
is imported is checked against a fixed ceiling (measured with 600,000 clicks, 82 MB of
files: about 280 MB; the Python side is not yet bounded by the engine's limit).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import orjson
import pyarrow as pa

from tests.support.digests import table_digests
from vitrina.config import Settings, load_settings
from vitrina.eventlog import open_eventlog
from vitrina.ingest import run_ingest
from vitrina.source import open_source
from vitrina.timeutil import parse_instant_ms

H0 = parse_instant_ms("2026-11-22T00:00:00Z")
HOUR_MS = 3_600_000
SLICES = 24
PER_SLICE = 25_000
LIMIT_MB = 32
GROWTH_LIMIT_KB = 384 * 1024
# Ingest in a fresh process; prints its resident memory once imported, its peak, its counts.
_BOUNDED = """
import pathlib, re, sys, orjson
from vitrina.config import load_settings
from vitrina.ingest import run_ingest

def kb(name):
    return int(re.search(name + r":\\s+(\\d+)", open("/proc/self/status").read()).group(1))

root, url = pathlib.Path(sys.argv[1]), sys.argv[2]
settings = load_settings(data_dir=root, environ={}, cwd=root, overrides={"backends": {"warehouse": url}})
base = kb("VmRSS")
c = run_ingest(settings).counts("clicks")
print(orjson.dumps([base, kb("VmHWM"), [c.read, c.loaded, c.duplicates, c.quarantined]]).decode())
"""


def _world(
    root: Path, shop: dict[str, pa.Table], click: Callable[..., bytes], url: str
) -> Settings:
    settings = load_settings(
        data_dir=root,
        environ={},
        cwd=root,
        overrides={"backends": {"warehouse": url.format(root=root)}},
    )
    src = open_source(settings.backend("source"))
    try:
        src.replace_tables(shop)
    finally:
        src.close()
    log = open_eventlog(settings.backend("eventlog"))
    for s in range(SLICES):
        lines = []
        for i in range(PER_SLICE):
            # Every 10th event repeats one of the previous slice: dedupe across files.
            n = (s - 1) * PER_SLICE + i + 1 if s and i % 10 == 0 else s * PER_SLICE + i
            ts = f"2026-11-22T{s:02d}:{i // 1000 % 60:02d}:{i % 60:02d}.000Z"
            lines.append(click(f"e{n}", 10 + n % 2, ts, "click" if n % 3 else "view"))
        log.write_slice("clicks", H0 + s * HOUR_MS, b"\n".join(lines) + b"\n")
    return settings


def _bounded_ingest(root: Path, url: str) -> tuple[int, int, list[int]]:
    """Ingest ``root`` in a fresh process: (RSS once imported, peak RSS) in kB, clicks' counts."""
    res = subprocess.run(
        [sys.executable, "-c", _BOUNDED, str(root), url],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    base, peak, counts = orjson.loads(res.stdout.strip().splitlines()[-1])
    return int(base), int(peak), list(counts)


def test_ingest_with_a_memory_limit_below_the_data_matches_the_unlimited_run(
    tmp_path: Path, shop: Callable[..., dict[str, pa.Table]], click: Callable[..., bytes]
) -> None:
    free = _world(tmp_path / "free", shop(), click, "duckdb:///{root}/warehouse.duckdb")
    url = f"duckdb:///{tmp_path}/bound/warehouse.duckdb?memory_limit={LIMIT_MB}MB"
    bound = _world(tmp_path / "bound", shop(), click, url)
    event_kb = (
        sum(f.stat().st_size for f in (tmp_path / "bound" / "events").rglob("*.jsonl")) // 1024
    )
    assert event_kb > 2.5 * LIMIT_MB * 1024

    free_report = run_ingest(free)
    base_kb, peak_kb, counts = _bounded_ingest(tmp_path / "bound", url)

    duplicates = (SLICES - 1) * PER_SLICE // 10
    loaded = SLICES * PER_SLICE - duplicates
    assert counts == [SLICES * PER_SLICE, loaded, duplicates, 0]
    free_clicks = free_report.counts("clicks")
    assert [free_clicks.read, free_clicks.loaded, free_clicks.duplicates] == counts[:3]
    assert peak_kb - base_kb < GROWTH_LIMIT_KB, (base_kb, peak_kb, event_kb)
    expected = table_digests(free)
    assert expected["clean.clicks"][0] == loaded
    assert table_digests(bound) == expected
