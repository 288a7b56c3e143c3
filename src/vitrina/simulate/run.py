"""Run the simulator: history, then live hours on a virtual clock, written slice by slice.

Generation goes in fixed one-hour chunks of session starts, each from its own random stream,
so the output does not depend on the slice size, the speed or where a run is cut. Events of a
chunk may spill into later hours; an event is written once nothing generated later can
arrive before it (its arrival time is below the start of the next chunk).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson

from vitrina.contracts.registry import PIPELINE_DOMAINS, REGISTRY, domain_for, entities_of
from vitrina.simulate import faults as F
from vitrina.simulate.base import (
    HOUR_MS,
    SimulationParams,
    Simulator,
    Table,
    Topic,
    concat,
    simulator_for,
)
from vitrina.simulate.output import ndjson
from vitrina.source import merge_tables

__all__ = ["DOMAINS", "SimulationParams", "SimulationReport", "selected_domains", "simulate"]

log = logging.getLogger(__name__)
# The --domain choices: every domain the pipeline handles, or all of them.
# Every domain has a simulator; ``all`` is those the rest of the pipeline takes in today.
DOMAINS = (*REGISTRY, "all")
# Rows a compiled writer spells at once: its buffer is sized by the rows it is given, so an
# hour of millions of events goes out in pieces of this many (the same bytes, joined).
JSONL_CHUNK_ROWS = 262_144


@dataclass(frozen=True)
class SimulationReport:
    events: dict[str, int]
    entities: dict[str, int]
    files: int
    faults: dict[str, int]
    elapsed_s: float
    outputs: dict[str, str]

    def rows(self) -> list[tuple[str, str]]:
        out = [(f"events.{k}", f"{v:,}") for k, v in self.events.items()]
        out += [(f"source.{k}", f"{v:,}") for k, v in self.entities.items()]
        out += [(f"faults.{k}", f"{v:,}") for k, v in self.faults.items()]
        out += [("files written", f"{self.files:,}"), ("elapsed", f"{self.elapsed_s:.2f} s")]
        return out


class _SliceWriter:
    """Buffers one topic's events and writes every slice that can no longer grow."""

    def __init__(
        self,
        sink: Any,
        topic: Topic,
        slice_ms: int,
        seed: int,
        rates: F.FaultRates,
        manifest: list[dict[str, Any]],
    ) -> None:
        self.sink, self.spec, self.topic = sink, topic, topic.entity
        self.slice_ms, self.seed = slice_ms, seed
        self.rates, self.manifest = rates, manifest
        self.pending: Table = {}
        self.events = 0
        self.files = 0

    def add(self, hour: int, events: Table) -> None:
        planned = F.plan_event_faults(self.seed, self.topic, hour, events, self.rates)
        self.pending = planned if not self.pending else concat(self.pending, planned)

    def flush(self, horizon_ms: int | None) -> None:
        """Write slices that end at or before ``horizon_ms`` (all of them when None)."""
        if not self.pending or len(self.pending["ts"]) == 0:
            return
        p, self.pending = self.pending, {}
        order = np.lexsort((np.arange(len(p["ts"])), p["arrival_ms"]))
        for k in list(p):  # one column at a time: the unsorted one is freed as it goes
            p[k] = p[k][order]
        del order
        slice_idx = p["arrival_ms"] // self.slice_ms
        ready = (
            len(p["ts"])
            if horizon_ms is None
            else int(np.searchsorted(slice_idx, horizon_ms // self.slice_ms))
        )
        bounds = np.flatnonzero(np.diff(slice_idx[:ready])) + 1
        for lo, hi in zip(
            np.concatenate([[0], bounds]), np.concatenate([bounds, [ready]]), strict=True
        ):
            if hi > lo:
                self._write({k: v[lo:hi] for k, v in p.items()}, int(slice_idx[lo]) * self.slice_ms)
        self.pending = {k: v[ready:] for k, v in p.items()}

    def _write(self, rows: Table, slice_start: int) -> None:
        payload = None
        details = [""] * len(rows["ts"])
        if self.spec.jsonl is not None and not (rows["fault"] == F.VIOLATION).any():
            payload = _jsonl_in_chunks(self.spec.jsonl, rows)  # same bytes, no frame
        if payload is None:
            df = self.spec.frame(rows)
            df, details = F.apply_violations(
                self.spec.violations, df, rows["fault"], rows["variant"]
            )
            payload = ndjson(df)
        payload = F.break_lines(payload, np.flatnonzero(rows["fault"] == F.MALFORMED))
        key = self.spec.key
        keys = rows[key].astype("S20").tolist() if key is not None else None
        written = self.sink.write_slice(self.topic, slice_start, payload, keys)
        self.events += len(rows["ts"])
        self.files += 1
        for i in np.flatnonzero(rows["fault"]):
            kind = int(rows["fault"][i])
            self.manifest.append(
                {
                    "kind": F.FAULT_NAMES[kind],
                    "topic": self.topic,
                    "file": written.name,
                    "line": int(i) + 1,
                    "event_id": rows["event_id"][i].decode(),
                    "ts_ms": int(rows["ts"][i]),
                    "detail": details[i] if kind == F.VIOLATION else F.FAULT_NAMES[kind],
                }
            )


def _jsonl_in_chunks(write: Callable[[Table], bytes | None], rows: Table) -> bytes | None:
    """``write(rows)`` done :data:`JSONL_CHUNK_ROWS` rows at a time, so the writer's buffer
    stays that size whatever the slice's; None when any piece cannot be spelled."""
    n = len(rows["ts"])
    parts = []
    for lo in range(0, n, JSONL_CHUNK_ROWS):
        part = write({k: v[lo : lo + JSONL_CHUNK_ROWS] for k, v in rows.items()})
        if part is None:
            return None
        parts.append(part)
    return b"".join(parts)


def selected_domains(domain: str) -> tuple[str, ...]:
    """The domains a ``--domain`` value names (``all``: every one the pipeline handles;
    ``clickstream,shop``: those, as ``vitrina run --domain shop`` simulates them)."""
    if domain == "all":
        return PIPELINE_DOMAINS
    return tuple(domain_for(d).name for d in domain.split(","))


def simulate(
    params: SimulationParams,
    *,
    sink: Any,
    source: Any | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    write_fault_manifest: Callable[[bytes], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> SimulationReport:
    """Generate the world and its live activity; write events to ``sink`` and tables to ``source``.

    With ``params.speed > 0`` each slice is written when the virtual clock reaches its end
    (``clock`` and ``sleep`` are injectable for tests); otherwise as fast as possible.
    """
    t_begin = time.perf_counter()
    start, end = params.start_ms, params.start_ms + params.duration_ms
    domains = selected_domains(params.domain)
    simulators: list[Simulator] = []
    for d in domains:  # one world may feed several domains: start it once
        sim = simulator_for(d)
        if not any(sim is s for s in simulators):
            simulators.append(sim)
    runs = [sim.start(params) for sim in simulators]
    specs = {name: topic for sim in simulators for name, topic in sim.topics.items()}
    manifest: list[dict[str, Any]] = []
    writers = {
        t: _SliceWriter(sink, specs[t], params.slice_ms, params.seed, params.faults, manifest)
        for t in entities_of("event", domains)
    }
    n_hours = -(-params.duration_ms // HOUR_MS)
    wall0 = clock()
    for h in range(n_hours):
        t0 = start + h * HOUR_MS
        t1 = min(t0 + HOUR_MS, end)
        for run in runs:
            for topic, rows in run.hour(h, t0, t1).items():
                if topic in writers:
                    writers[topic].add(h, rows)
        if params.speed > 0:
            # Live mode: everything arriving before t1 is generated, so release it slice by
            # slice as the virtual clock passes each slice's end — a steady rate.
            boundary = (t0 // params.slice_ms + 1) * params.slice_ms
            while boundary <= t1:
                sleep(max(0.0, wall0 + (boundary - start) / 1000 / params.speed - clock()))
                for w in writers.values():
                    w.flush(boundary)
                boundary += params.slice_ms
            if source is not None and h > 0:
                # The OLTP source moves on during the live run, as a shop's does; the run's
                # end merges the simulated world's snapshot around what moved (below).
                for run in runs:
                    if hasattr(run, "live_changes"):
                        run.live_changes(source, h, t1)
        for w in writers.values():
            w.flush(t1 if h < n_hours - 1 else None)
        if on_progress:
            on_progress(h + 1, n_hours)
    entities: dict[str, int] = {}
    snapshot_entities = entities_of("snapshot", domains)
    if snapshot_entities:
        for run in runs:
            tables, faults = run.snapshots(params.faults.violation)
            manifest += faults
            tables = {k: v for k, v in tables.items() if k in snapshot_entities}
            if source is not None and tables:
                live_keys = getattr(run, "live_keys", None)
                if live_keys:  # the live hours changed the source: their rows stay
                    merge_tables(source, tables, live_keys)
                else:
                    source.replace_tables(tables)
                entities.update({k: v.num_rows for k, v in tables.items()})
    if write_fault_manifest is not None:
        write_fault_manifest(
            b"".join(orjson.dumps(e, option=orjson.OPT_SORT_KEYS) + b"\n" for e in manifest)
        )
    counts: dict[str, int] = {}
    for e in manifest:
        counts[str(e["kind"])] = counts.get(str(e["kind"]), 0) + 1
    return SimulationReport(
        events={t: w.events for t, w in writers.items()},
        entities=entities,
        files=sum(w.files for w in writers.values()),
        faults=counts,
        elapsed_s=time.perf_counter() - t_begin,
        outputs={},
    )
