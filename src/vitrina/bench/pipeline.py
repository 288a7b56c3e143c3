"""``vitrina bench pipeline``: every step of ``vitrina run`` in a fresh process, and a DuckDB baseline.

Each step (simulate, stream, ingest, transform, publish) runs in its own Python process on
the same data folder, so its peak memory (VmHWM) is its own; the process prints its seconds,
records and peak RSS as one JSON line. Records are what the step handled: simulate the
records it wrote (events and source rows), stream the events it read, ingest the records it
read; transform and publish work on the warehouse ingest filled, so their records are
ingest's. The baseline, in a fresh process too, is what a plain DuckDB does with the same
event files: ``read_json`` of every click and registration file, then a dedupe by
``event_id`` keeping the first by file.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from vitrina.bench.window import _peak_rss_mb
from vitrina.errors import PipelineError

__all__ = ["BASELINE", "run_pipeline_bench", "step_records"]

BASELINE = "duckdb"

# The baseline load: one table per topic, raw rows as read, then the first row per event_id.
_LOAD = (
    "create table {name}_raw as select * from read_json({files}, "
    "format = 'newline_delimited', filename = true, ignore_errors = true)"
)
_DEDUPE = (
    "create table {name} as select * from {name}_raw "
    "qualify row_number() over (partition by event_id order by filename) = 1"
)


def step_records(name: str, report: Any) -> int | None:
    """The records a step handled, from its report (None: the step works on ingest's records)."""
    if name == "simulate":
        return int(sum(report.events.values()) + sum(report.entities.values()))
    if name == "stream":
        return int(report.events)
    if name == "ingest":
        return int(report.read)
    return None


def _settings(spec: dict[str, Any]) -> Any:
    from vitrina.config import load_settings

    return load_settings(
        config=spec.get("config"),
        profile=spec.get("profile"),
        data_dir=spec["data_dir"],
        overrides={"simulate": spec["simulate"]},
    )


def _run_step(spec: dict[str, Any]) -> dict[str, Any]:
    """One step of the main job in this process (called in a fresh interpreter)."""
    from vitrina.pipelines.interval import default_interval
    from vitrina.pipelines.run import STEPS

    steps = dict(STEPS)
    settings = _settings(spec)
    name = spec["step"]
    start = time.perf_counter()
    report = steps[name](settings, default_interval(settings), None)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "records": step_records(name, report)}


def _run_baseline(spec: dict[str, Any]) -> dict[str, Any]:
    """The plain DuckDB load of the event files ingest reads (called in a fresh interpreter)."""
    import duckdb

    settings = _settings(spec)
    root = settings.backend("eventlog").removeprefix("file://")
    topics = [settings.kafka.clicks_topic, settings.kafka.registrations_topic]
    db = Path(spec["data_dir"]) / "baseline.duckdb"
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    records = 0
    start = time.perf_counter()
    for i, topic in enumerate(topics):
        files = sorted(glob.glob(os.path.join(root, topic, "**", "*.jsonl"), recursive=True))
        if not files:
            continue
        name = f"t{i}"
        con.execute(_LOAD.format(name=name, files="?"), [files])
        con.execute(_DEDUPE.format(name=name))
        row = con.execute(f"select count(*) from {name}_raw").fetchone()
        records += int(row[0]) if row else 0
    con.close()
    seconds = time.perf_counter() - start
    db.unlink(missing_ok=True)
    return {"seconds": seconds, "records": records}


def child_main(argv: list[str]) -> None:
    """Entry point of the fresh process: run what ``argv[0]`` (JSON) names, print one JSON line."""
    spec = orjson.loads(argv[0])
    result = _run_baseline(spec) if spec["step"] == BASELINE else _run_step(spec)
    result["peak_rss_mb"] = _peak_rss_mb()
    print(orjson.dumps(result).decode(), flush=True)


def _in_fresh_process(spec: dict[str, Any]) -> dict[str, Any]:
    res = subprocess.run(
        [sys.executable, "-m", "vitrina.bench.pipeline", orjson.dumps(spec).decode()],
        capture_output=True,
        text=True,
        check=False,
    )
    if res.returncode != 0:
        tail = (res.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise PipelineError(f"bench step {spec['step']} failed (exit {res.returncode}): {tail}")
    last = res.stdout.strip().splitlines()[-1]
    out: dict[str, Any] = orjson.loads(last)
    return out


def run_pipeline_bench(
    *,
    scale: str,
    start: str,
    seed: int | None = None,
    duration: str | None = None,
    work_dir: Path | None = None,
    profile: str | None = None,
    config: str | None = None,
    on_step: Callable[[str, dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Run every step of the main job, each in a fresh process, then the DuckDB baseline.

    ``work_dir`` (emptied first) holds the data; by default a temporary folder, removed after.
    """
    from vitrina.pipelines.run import STEPS

    own = work_dir is None
    root = Path(tempfile.mkdtemp(prefix="vitrina-bench-")) if own else Path(str(work_dir))
    if not own:
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
    simulate = {"scale": scale, "start": start, "seed": seed, "duration": duration}
    base = {"data_dir": str(root), "simulate": simulate, "profile": profile, "config": config}
    result: dict[str, Any] = {"scale": scale, "start": start}
    try:
        ingested: int | None = None
        for name, _ in [*STEPS, (BASELINE, None)]:
            figures = _in_fresh_process({**base, "step": name})
            records = figures["records"] if figures["records"] is not None else ingested
            if name == "ingest":
                ingested = records
            seconds = float(figures["seconds"])
            result[f"{name}_seconds"] = round(seconds, 2)
            result[f"{name}_records"] = records
            result[f"{name}_records_per_s"] = round(records / seconds) if records and seconds else 0
            result[f"{name}_peak_rss_mb"] = figures["peak_rss_mb"]
            if on_step is not None:
                on_step(name, figures)
    finally:
        if own:
            shutil.rmtree(root, ignore_errors=True)
    result["run_seconds"] = round(sum(result[f"{n}_seconds"] for n, _ in STEPS), 2)
    result["max_peak_rss_mb"] = max(result[f"{n}_peak_rss_mb"] for n, _ in STEPS)
    result["load_avg_1m"] = round(os.getloadavg()[0], 2)
    return result


if __name__ == "__main__":
    child_main(sys.argv[1:])
