"""Ingest under a DuckDB memory limit far below the data: same tables as without the limit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from tests.support.digests import table_digests
from vitrina.config import Settings, load_settings
from vitrina.eventlog import open_eventlog
from vitrina.ingest import run_ingest
from vitrina.source import open_source
from vitrina.timeutil import parse_instant_ms

H0 = parse_instant_ms("2026-11-22T00:00:00Z")
HOUR_MS = 3_600_000
SLICES = 4
PER_SLICE = 50_000
LIMIT_MB = 16


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


def test_ingest_with_a_memory_limit_below_the_data_matches_the_unlimited_run(
    tmp_path: Path, shop: Callable[..., dict[str, pa.Table]], click: Callable[..., bytes]
) -> None:
    free = _world(tmp_path / "free", shop(), click, "duckdb:///{root}/warehouse.duckdb")
    bound = _world(
        tmp_path / "bound",
        shop(),
        click,
        f"duckdb:///{{root}}/warehouse.duckdb?memory_limit={LIMIT_MB}MB",
    )
    event_bytes = sum(f.stat().st_size for f in (tmp_path / "bound" / "events").rglob("*.jsonl"))
    assert event_bytes > 1.5 * LIMIT_MB * 1024 * 1024

    free_report = run_ingest(free)
    bound_report = run_ingest(bound)

    clicks = bound_report.counts("clicks")
    duplicates = (SLICES - 1) * PER_SLICE // 10
    assert (clicks.read, clicks.duplicates) == (SLICES * PER_SLICE, duplicates)
    assert clicks.loaded == SLICES * PER_SLICE - duplicates
    assert free_report.counts("clicks") == clicks
    expected = table_digests(free)
    assert expected["clean.clicks"][0] == clicks.loaded
    assert table_digests(bound) == expected
