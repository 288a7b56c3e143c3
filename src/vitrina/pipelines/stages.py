"""Staged ingest of one domain: read → validate → clean → load, each stage a job of its own.

``vitrina ingest`` does the four in one process and one run; on Airflow each is a task, so a
failure is retried from the stage that failed, not from the transport. Each stage reads what
the stage before it left in the stage area of the interval,
``<data_dir>/stage/<domain>/<interval>/``, and replaces its own directory there whole: it is
written beside its place, then renamed into it, and the later stages' directories are removed
first, so a stage never reads the output of an older run of the stage before it, and a crashed
stage leaves nothing half-written. The stages call the functions ``vitrina ingest`` runs,
split where that run hands one step's result to the next, so both give the same tables.

- ``read``: the domain's event topics (Kafka, or the files/MinIO event log) and its OLTP
  tables → ``raw/``: each chunk's bytes as read with its name and line numbers, the snapshot
  tables as Parquet, ``manifest.json`` last (with the instant the run's quarantine rows carry).
  The ``ingest`` consumer's position is committed once the landing is written: from then on
  the landing holds the records (an interval is re-read whole from the transport anyway).
- ``validate``: the per-record contracts → ``valid/``: per entity its raw, valid and
  quarantine rows (Parquet); events read piece by piece keep one directory per piece.
- ``clean``: dedupe by key, the cross-record rules and the cascade to children of quarantined
  records, against this run and the warehouse's clean layer → ``clean/``.
- ``load``: ``clean/`` into the warehouse in one transaction: snapshots replace, events are
  added by key, quarantine rows merged, so loading the same stage again changes nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from vitrina.config import Settings
from vitrina.errors import UsageError
from vitrina.pipelines.interval import Interval, Report
from vitrina.pipelines.stage_area import (
    STAGES,
    interval_dir,
    load_prepared,
    prune,
    read_frame,
    replacing,
    save_prepared,
    staged_manifest,
    write_frame,
    write_json,
)
from vitrina.stepstatus import records_status

__all__ = ["STAGES", "StageReport", "interval_dir", "run"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StageReport:
    """What one of the first three stages did: its summary rows."""

    stage: str
    lines: tuple[tuple[str, str], ...]

    def rows(self) -> list[tuple[str, str]]:
        return list(self.lines)


# --- read -----------------------------------------------------------------------------


def _read(settings: Settings, interval: Interval, domain: str, root: Path) -> StageReport:
    from vitrina.contracts.registry import entities_of, pipeline_domains
    from vitrina.ingest.read import read_source
    from vitrina.ingest.run import consume_events
    from vitrina.source import open_source

    domains = pipeline_domains(domain)
    at = datetime.now(tz=UTC).replace(tzinfo=None, microsecond=0)
    events = consume_events(settings, interval.start_ms, interval.end_ms, domains)
    with replacing(root, "read") as out:
        topics, chunks = [], 0
        for entity, consumed in events:
            listed = []
            for i, chunk in enumerate(consumed.chunks):
                path = out / "events" / entity / f"{i:06d}.jsonl"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(chunk.payload)
                listed.append(
                    {
                        "name": chunk.name,
                        "path": str(path.relative_to(out)),
                        "line_numbers": chunk.line_numbers,
                    }
                )
            chunks += len(listed)
            topics.append(
                {
                    "entity": entity,
                    "topic": consumed.topic,
                    "keyed": consumed.keyed,
                    "chunks": listed,
                }
            )
        source = open_source(settings.backend("source"))
        try:
            batches = read_source(source, entities_of("snapshot", domains))
        finally:
            source.close()
        snapshots = []
        for b in batches:
            path = out / "snapshots" / f"{b.entity}.parquet"
            write_frame(path, b.frames[0])
            snapshots.append(
                {"entity": b.entity, "file": b.files[0], "path": str(path.relative_to(out))}
            )
        doc = {
            "domain": domain,
            "start_ms": interval.start_ms,
            "end_ms": interval.end_ms,
            "at": at.isoformat(),
            "events": topics,
            "snapshots": snapshots,
        }
        write_json(out / "manifest.json", doc)
    for _, consumed in events:  # the landing holds them now
        consumed.commit()
    prune(root)
    return StageReport(
        "read",
        (
            ("events", f"{chunks} chunks of {len(topics)} topics"),
            ("snapshots", f"{len(snapshots)} tables"),
            ("landing", str(root / "raw")),
        ),
    )


def _landing(raw: Path, doc: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """The landing as the event log handed it over: (entity, Consumed) pairs, and per chunk name
    of a whole file how to read it again (quarantine payloads quote its lines)."""
    from vitrina.eventlog import Chunk, Consumed

    events, rereads = [], {}
    for topic in doc["events"]:
        chunks = []
        for c in topic["chunks"]:
            read = partial((raw / c["path"]).read_bytes)
            chunks.append(Chunk(c["name"], read, c["line_numbers"]))
            if c["line_numbers"] is None:
                rereads[c["name"]] = read
        events.append((topic["entity"], Consumed(topic["topic"], chunks, keyed=topic["keyed"])))
    return events, rereads


def _counts(p: Any) -> str:
    return (
        f"read {p.read}, valid {p.valid.height}, duplicates {p.duplicates}, "
        f"quarantined {p.quarantine.height}"
    )


# --- validate ------------------------------------------------------------------------


def _options(settings: Settings) -> Any:
    from vitrina.ingest.options import IngestOptions

    options = IngestOptions.from_settings(settings)
    if options.mapping.surrogate_keys:
        raise UsageError(
            "ingest.mapping: surrogate_keys are minted in one ingest run; use `vitrina ingest`, "
            "not the staged stages"
        )
    return options


def _validate(settings: Settings, interval: Interval, domain: str, root: Path) -> StageReport:
    from vitrina.ingest.process import prepare
    from vitrina.ingest.read import Batch, read_log
    from vitrina.ingest.refcheck import streamable
    from vitrina.ingest.stream import log_pieces

    doc = staged_manifest(root, "validate", "read")
    raw = root / "raw"
    at = datetime.fromisoformat(doc["at"])
    options = _options(settings)
    events, _ = _landing(raw, doc)
    batches: list[Batch] = []
    for snap in doc["snapshots"]:
        frame = read_frame(raw / snap["path"])
        if frame.height == 0:  # as `vitrina ingest`: an empty source table wipes nothing
            log.warning("%s: the snapshot is empty; the warehouse keeps its rows", snap["entity"])
            continue
        batches.append(
            Batch(
                snap["entity"],
                snapshot=True,
                frames=[frame],
                files=[snap["file"]],
                _next_seq=frame.height,
            )
        )
    streamed = {e: c for e, c in events if streamable(e)}
    batches = [read_log(c, entity=e) for e, c in events if e not in streamed] + batches
    lines: list[tuple[str, str]] = []
    with replacing(root, "validate") as out:
        entities, pieces = [], {}
        for b in batches:
            p = prepare(b, at, options)
            b.frames.clear()
            entities.append(save_prepared(out / "entities" / b.entity, p))
            lines.append((b.entity, _counts(p)))
        for e, consumed in streamed.items():
            metas = []
            for i, piece in enumerate(log_pieces(consumed, e)):
                p = prepare(piece, at, options)
                piece.frames.clear()
                metas.append(save_prepared(out / "streamed" / e / f"{i:06d}", p))
            pieces[e] = {
                "files": [c.name for c in consumed.chunks],
                "keyed": consumed.keyed,
                "pieces": metas,
            }
            lines.append((e, f"read {sum(m['read'] for m in metas)} in {len(metas)} pieces"))
        write_json(
            out / "manifest.json",
            {
                "at": doc["at"],
                "order": [*streamed, *(b.entity for b in batches)],
                "entities": entities,
                "streamed": pieces,
            },
        )
    return StageReport("validate", tuple(lines))


# --- clean ---------------------------------------------------------------------------


def _clean(settings: Settings, interval: Interval, domain: str, root: Path) -> StageReport:
    from vitrina.ingest.run import settle
    from vitrina.ingest.stream import StreamedEntity
    from vitrina.warehouse import open_warehouse

    landing = staged_manifest(root, "clean", "read")
    doc = staged_manifest(root, "clean", "validate")
    valid = root / "valid"
    _, rereads = _landing(root / "raw", landing)
    at = datetime.fromisoformat(doc["at"])
    options = _options(settings)
    prepared = {
        m["entity"]: load_prepared(valid / "entities" / m["entity"], m, rereads)
        for m in doc["entities"]
    }
    with open_warehouse(settings.backend("warehouse")) as wh:
        checks = settle(wh, prepared, doc["streamed"], at)
    lines: list[tuple[str, str]] = []
    with replacing(root, "clean") as out:
        entities = []
        for e, p in prepared.items():
            entities.append(save_prepared(out / "entities" / e, p))
            lines.append((e, _counts(p)))
        for e, info in doc["streamed"].items():
            refs, rules = checks[e]
            s = StreamedEntity(e, info["files"], info["keyed"], refs, at, options, rules=rules)
            for i, meta in enumerate(info["pieces"]):
                p = load_prepared(valid / "streamed" / e / f"{i:06d}", meta, rereads)
                for part, frame in s.check(p).items():
                    write_frame(out / "streamed" / e / f"{i:06d}" / f"{part}.parquet", frame)
            lines.append((e, f"{len(info['pieces'])} pieces checked"))
        streamed = {
            e: {
                "files": info["files"],
                "keyed": info["keyed"],
                "read": sum(m["read"] for m in info["pieces"]),
                "pieces": len(info["pieces"]),
            }
            for e, info in doc["streamed"].items()
        }
        write_json(
            out / "manifest.json",
            {"at": doc["at"], "order": doc["order"], "entities": entities, "streamed": streamed},
        )
    return StageReport("clean", tuple(lines))


# --- load ----------------------------------------------------------------------------


# Recorded as the ingest step: publish refuses marts older than the warehouse's last change.
@records_status("ingest")
def _load(settings: Settings, interval: Interval, domain: str, root: Path) -> Report:
    from vitrina.ingest.load import ensure_tables
    from vitrina.ingest.run import IngestReport, load_run
    from vitrina.ingest.stream import StreamedEntity
    from vitrina.warehouse import open_warehouse

    started = time.perf_counter()
    doc = staged_manifest(root, "load", "clean")
    clean = root / "clean"
    at = datetime.fromisoformat(doc["at"])
    options = _options(settings)
    prepared = {
        m["entity"]: load_prepared(clean / "entities" / m["entity"], m, {}) for m in doc["entities"]
    }
    files = sum(len(m["files"]) for m in doc["entities"])
    files += sum(len(info["files"]) for info in doc["streamed"].values())
    with open_warehouse(settings.backend("warehouse")) as wh:
        ensure_tables(wh)
        staged = []
        for e, info in doc["streamed"].items():
            s = StreamedEntity(e, info["files"], info["keyed"], [], at, options, read=info["read"])
            s.begin(wh)
            for i in range(info["pieces"]):
                piece = clean / "streamed" / e / f"{i:06d}"
                parts = {f.stem: read_frame(f) for f in sorted(piece.glob("*.parquet"))}
                with wh.transaction():
                    s.put(wh, parts)
            staged.append(s)
        counts = load_run(wh, prepared, staged, at, options)
    report = IngestReport(
        entities=tuple(counts[e] for e in doc["order"] if e in counts),
        files=files,
        seconds=time.perf_counter() - started,
        warehouse=settings.backend("warehouse"),
    )
    log.info(
        "load: %d read, %d loaded, %d quarantined", report.read, report.loaded, report.quarantined
    )
    return report


_RUN: dict[str, Callable[[Settings, Interval, str, Path], Report]] = {
    "read": _read,
    "validate": _validate,
    "clean": _clean,
    "load": _load,
}


def run(
    settings: Settings,
    interval: Interval | None = None,
    *,
    stage: str,
    domain: str = "social",
) -> Report:
    """Run one stage of the staged ingest of ``domain`` for ``interval`` (required: the stage
    area is per interval)."""
    if stage not in _RUN:
        raise UsageError(f"unknown stage {stage!r} (allowed: {', '.join(STAGES)})")
    if interval is None:
        raise UsageError(f"the {stage} stage needs an interval: its stage area is per interval")
    return _RUN[stage](settings, interval, domain, interval_dir(settings, domain, interval))
