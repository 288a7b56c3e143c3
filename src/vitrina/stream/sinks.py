"""What the stream job writes besides its topic: the marts table, dead letters, counters, status."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from vitrina.atomicio import write_atomic
from vitrina.stream.engine import EmittedWindows
from vitrina.stream.parse import ParsedClicks, split_lines
from vitrina.timeutil import utc_now_ms

__all__ = ["Counters", "MartsSink", "dead_letter_lines", "write_status"]

log = logging.getLogger(__name__)

TABLE = "product_clicks"


@dataclass
class Counters:
    """Running totals of one job (shown in the progress line and the status file)."""

    inputs: int = 0  # files or polls
    lines: int = 0
    events: int = 0
    clicks: int = 0
    counted: int = 0
    late: int = 0
    malformed: int = 0
    violations: int = 0
    windows: int = 0
    dead_letters: int = 0
    batches: int = 0
    open_cells: int = 0
    watermark_ms: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def add_parsed(self, parsed: ParsedClicks, late: int) -> None:
        self.lines += parsed.lines_total
        self.events += len(parsed.ts_ms)
        clicks = int(parsed.is_click.sum())
        self.clicks += clicks
        self.counted += clicks - late
        self.late += late
        self.malformed += parsed.count_malformed
        self.violations += parsed.count_violations
        self.dead_letters += len(parsed.bad_line) + late

    def line(self) -> str:
        return (
            f"{self.events:,} events, {self.counted:,} clicks counted, {self.windows:,} windows, "
            f"late {self.late:,}, malformed {self.malformed:,}, violations {self.violations:,}"
        )


def write_status(path: Path, counters: Counters, **fields: Any) -> None:
    """Atomically (re)write the job's status file (JSON)."""
    doc = {**asdict(counters), **fields, "updated_at_ms": utc_now_ms()}
    write_atomic(
        path, orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS), durable=False
    )


def dead_letter_lines(
    parsed: ParsedClicks,
    late_rows: list[int],
    payloads: list[bytes],
    origins: list[dict[str, Any]],
) -> list[bytes]:
    """Dead-letter records as JSON lines: ``{payload, reason, kind, origin}``.

    ``payloads[n - 1]`` and ``origins[n - 1]`` belong to line ``n`` of the parsed buffer;
    ``late_rows`` are indices into the parsed (valid) events.
    """
    out: list[bytes] = []
    for number, kind, reason in zip(
        parsed.bad_line, parsed.bad_kind, parsed.bad_reason, strict=True
    ):
        out.append(_record(payloads[number - 1], reason, kind, origins[number - 1]))
    for row in late_rows:
        number = int(parsed.line[row])
        reason = "late: every window of the event was closed by the watermark"
        out.append(_record(payloads[number - 1], reason, "late", origins[number - 1]))
    return out


def _record(payload: bytes, reason: str, kind: str, origin: dict[str, Any]) -> bytes:
    return orjson.dumps(
        {
            "payload": payload.decode("utf-8", errors="replace"),
            "reason": reason,
            "kind": kind,
            "origin": origin,
        }
    )


def file_origins(path: str, data: bytes) -> tuple[list[bytes], list[dict[str, Any]]]:
    """Payload and origin ({file, line}) per line of a file buffer (only for dead letters)."""
    lines = split_lines(data)
    return lines, [{"file": path, "line": i + 1} for i in range(len(lines))]


class MartsSink:
    """Inserts final windows into the marts table ``product_clicks`` (replay-safe)."""

    def __init__(self, url: str) -> None:
        from vitrina.marts.store import open_marts

        self.store = open_marts(url)
        ddl = resources.files("vitrina.stream").joinpath("sql/product_clicks.sql").read_text()
        self.store.execute(ddl)

    def write(self, emitted: EmittedWindows) -> int:
        if len(emitted) == 0:
            return 0
        now = utc_now_ms()
        ts = pa.timestamp("ms", tz="UTC")
        table = pa.table(
            {
                "product_id": pa.array(emitted.key, pa.int64()),
                "window_start": pa.array(emitted.window_start_ms, pa.int64()).cast(ts),
                "window_end": pa.array(emitted.window_end_ms, pa.int64()).cast(ts),
                "clicks": pa.array(emitted.count, pa.int64()),
                "emitted_at": pa.array([now] * len(emitted), pa.int64()).cast(ts),
            }
        )
        return self.store.insert_arrow(TABLE, table)

    def close(self) -> None:
        self.store.close()
