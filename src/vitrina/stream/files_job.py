"""The stream job over event-log files: one slice file per micro-batch, checkpointed, replay-safe.

Per input file, in this order: parse, window, write dead letters (topic ``clicks.dlq``, one
file per input slice), merge the closed windows into the output topic's slice files (keyed by
product and window start, so a replay rewrites the same lines), insert them into the marts
table (ReplacingMergeTree), then write the checkpoint (engine state + files done, one atomic
file) and mark the file done in the event log's manifest. A crash before the checkpoint
replays the file from the previous state and writes the same results again; a crash after it
is finished by marking the manifest on restart. So no file is counted twice or lost.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import polars as pl

from vitrina.atomicio import write_atomic
from vitrina.errors import UsageError
from vitrina.eventlog import FileEventLog, Manifest, SliceFile, open_eventlog
from vitrina.stream.engine import EmittedWindows, WindowEngine, WindowSpec
from vitrina.stream.parse import parse_clicks
from vitrina.stream.records import windows_frame
from vitrina.stream.sinks import Counters, MartsSink, dead_letter_lines, file_origins
from vitrina.timeutil import utc_now_ms

__all__ = ["run_files"]

log = logging.getLogger(__name__)

CONSUMER = "stream"


def _key(f: SliceFile) -> str:
    return f"{f.topic}/{f.name}"


class Checkpoint:
    """Engine state and the files it includes, in one atomically replaced file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self, spec: WindowSpec) -> tuple[WindowEngine, dict[str, int]]:
        if not self.path.exists():
            return WindowEngine(spec), {}
        raw = self.path.read_bytes()
        head, _, body = raw.partition(b"\n")
        meta = orjson.loads(head)
        return WindowEngine.from_bytes(body, spec), {
            str(k): int(v) for k, v in meta["done"].items()
        }

    def save(self, engine: WindowEngine, done: dict[str, int]) -> None:
        head = orjson.dumps({"version": 1, "done": done, "saved_at_ms": utc_now_ms()})
        write_atomic(self.path, head + b"\n" + engine.to_bytes())


def _merge_output(out_log: Any, topic: str, emitted: EmittedWindows, slice_ms: int) -> None:
    """Merge windows into the output topic's slice files (by window start), replay-safe."""
    if len(emitted) == 0:
        return
    frame = windows_frame(emitted, iso=False).with_columns(
        (pl.col("window_start") // slice_ms * slice_ms).alias("_slice")
    )
    for (slice_start,), part in frame.group_by(["_slice"], maintain_order=True):
        new = part.drop("_slice")
        rel_slice = SliceFile(topic, int(slice_start), "", "")  # for the name only
        old_bytes = _read_slice(out_log, rel_slice)
        if old_bytes:
            old = pl.read_ndjson(old_bytes).with_columns(
                pl.col("window_start").str.to_datetime(time_zone="UTC").dt.epoch("ms"),
                pl.col("window_end").str.to_datetime(time_zone="UTC").dt.epoch("ms"),
            )
            new = pl.concat([old.select(new.columns).cast(new.schema), new])
            new = new.unique(["product_id", "window_start"], keep="last")
        new = new.sort(["window_start", "product_id"])
        e = EmittedWindows(
            new.get_column("window_start").to_numpy().astype(np.int64),
            new.get_column("product_id").to_numpy().astype(np.int64),
            new.get_column("clicks").to_numpy().astype(np.int64),
            emitted.size_ms,
        )
        payload = windows_frame(e).write_ndjson().encode()
        keys = [str(k).encode() for k in e.key.tolist()]
        out_log.write_slice(topic, int(slice_start), payload, keys)


def _size(log_: Any, f: SliceFile) -> int:
    return int(log_.fs.size(f.path))


def _read_slice(out_log: Any, f: SliceFile) -> bytes | None:
    from vitrina.eventlog import slice_name

    reader = getattr(out_log, "read_text_file", None)
    if reader is None:
        return None
    data: bytes | None = reader(slice_name(f.topic, f.start_ms))
    return data


def run_files(
    *,
    source_url: str,
    sink_url: str,
    marts_url: str | None,
    state_dir: Path,
    spec: WindowSpec,
    input_topic: str,
    output_topic: str,
    slice_ms: int,
    follow: bool,
    idle_timeout_ms: int,
    poll_s: float = 2.0,
    on_batch: Callable[[Counters], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Counters:
    """Process every pending slice file of ``input_topic`` (and keep following when asked)."""
    src = open_eventlog(source_url)
    if not isinstance(src, FileEventLog):
        raise UsageError(f"the files stream job reads slice files, not a {src.kind} event log")
    out = src if sink_url == source_url else open_eventlog(sink_url)
    manifest = Manifest(src, consumer=CONSUMER)
    checkpoint = Checkpoint(state_dir / "checkpoint.bin")
    engine, done = checkpoint.load(spec)
    late_done = [
        f
        for f in src.list(input_topic)
        if done.get(_key(f)) == _size(src, f) and not manifest.is_done(f)
    ]
    if late_done:
        manifest.mark_done(late_done)  # the checkpoint has them: finish what a crash interrupted
    marts = MartsSink(marts_url) if marts_url else None
    counters = Counters()
    last_input = time.monotonic()
    try:
        while True:
            pending = [
                f for f in manifest.pending(input_topic) if done.get(_key(f)) != _size(src, f)
            ]
            for f in pending:
                data = src.read(f)
                parsed = parse_clicks(data)
                res = engine.process(parsed.ts_ms, parsed.product_id, parsed.is_click)
                counters.add_parsed(parsed, len(res.late))
                if parsed.bad_line or len(res.late):
                    payloads, origins = file_origins(f.path, data)
                    letters = dead_letter_lines(parsed, res.late.tolist(), payloads, origins)
                    src_dlq = b"\n".join(letters) + b"\n"
                    out.write_slice(f"{input_topic}.dlq", f.start_ms, src_dlq)
                _publish(out, marts, output_topic, res.emitted, slice_ms, counters)
                done[_key(f)] = _size(src, f)
                checkpoint.save(engine, done)
                manifest.mark_done([f])
                counters.inputs += 1
                counters.batches += 1
                _observe(counters, engine, on_batch)
                last_input = time.monotonic()
            if not follow:
                if pending:
                    continue  # files may have arrived meanwhile
                flushed = engine.flush()
                _publish(out, marts, output_topic, flushed, slice_ms, counters)
                checkpoint.save(engine, done)
                _observe(counters, engine, on_batch)
                break
            if should_stop is not None and should_stop():
                break
            idle_ms = (time.monotonic() - last_input) * 1000
            if idle_timeout_ms > 0 and idle_ms >= idle_timeout_ms and engine.open_cells:
                log.info("stream idle for %.0f ms: flushing open windows", idle_ms)
                _publish(out, marts, output_topic, engine.flush(), slice_ms, counters)
                checkpoint.save(engine, done)
                _observe(counters, engine, on_batch)
            if not pending:
                time.sleep(poll_s)
    finally:
        if marts is not None:
            marts.close()
    return counters


def _publish(
    out: Any,
    marts: MartsSink | None,
    topic: str,
    emitted: EmittedWindows,
    slice_ms: int,
    counters: Counters,
) -> None:
    if len(emitted) == 0:
        return
    _merge_output(out, topic, emitted, slice_ms)
    if marts is not None:
        marts.write(emitted)
    counters.windows += len(emitted)


def _observe(
    counters: Counters, engine: WindowEngine, on_batch: Callable[[Counters], None] | None
) -> None:
    counters.open_cells = engine.open_cells
    counters.watermark_ms = engine.watermark_ms if engine.count_events else None
    if on_batch is not None:
        on_batch(counters)
