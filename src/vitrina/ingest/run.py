"""The ingest job: read the event log and the OLTP source (or a folder), validate, clean, load."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from vitrina.config import Settings
from vitrina.contracts.registry import contract_for, entities_of, pipeline_domains
from vitrina.errors import PipelineError
from vitrina.ingest.load import ensure_tables, load_prepared, observe_statuses, read_clean
from vitrina.ingest.options import IngestOptions, load_keys, save_keys
from vitrina.ingest.process import (
    Prepared,
    apply_world_rules,
    cascade_references,
    finish,
    prepare,
    quote_input_lines,
    world_frame,
)
from vitrina.ingest.read import Batch, read_log, read_source
from vitrina.ingest.refcheck import (
    RefCheck,
    RuleCheck,
    ref_checks,
    rule_checks,
    streamable,
    target_keys,
)
from vitrina.ingest.stream import StreamedEntity, log_pieces
from vitrina.ingest.tables import EVENT_ENTITIES, SHOP_ENTITIES, TABLES
from vitrina.stepstatus import records_status
from vitrina.warehouse import Warehouse, open_warehouse

if TYPE_CHECKING:
    from vitrina.eventlog import Consumed

__all__ = ["EntityCounts", "IngestReport", "consume_events", "load_run", "run_ingest", "settle"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EntityCounts:
    """Per entity: records read, new in the clean layer, dropped as duplicates, quarantined."""

    entity: str
    read: int
    loaded: int
    duplicates: int
    quarantined: int


@dataclass(frozen=True)
class IngestReport:
    """What one ingest run did."""

    entities: tuple[EntityCounts, ...]
    files: int
    seconds: float
    warehouse: str
    emptied: tuple[str, ...] = ()  # --from: entities absent or empty in the folder
    unused: tuple[str, ...] = ()  # --from: folders and files not read, with why

    @property
    def read(self) -> int:
        return sum(e.read for e in self.entities)

    @property
    def loaded(self) -> int:
        return sum(e.loaded for e in self.entities)

    @property
    def quarantined(self) -> int:
        return sum(e.quarantined for e in self.entities)

    @property
    def duplicates(self) -> int:
        return sum(e.duplicates for e in self.entities)

    def counts(self, entity: str) -> EntityCounts:
        for e in self.entities:
            if e.entity == entity:
                return e
        return EntityCounts(entity, 0, 0, 0, 0)

    def rows(self) -> list[tuple[str, str]]:
        out = [
            (
                e.entity,
                f"read {e.read}, loaded {e.loaded}, duplicates {e.duplicates}, quarantined {e.quarantined}",
            )
            for e in self.entities
        ]
        rate = self.read / self.seconds if self.seconds > 0 else 0.0
        out.append(
            (
                "ingest",
                f"{self.read} records from {self.files} files/tables in {self.seconds:.2f} s ({rate:,.0f}/s)",
            )
        )
        return out


def _read_folder(
    root: Path, options: IngestOptions, domains: tuple[str, ...]
) -> tuple[list[Batch], list[str], list[str]]:
    """A user's folder replaces the source: (batches, entities emptied, entries not used).

    In each domain the folder holds an entity of, a snapshot entity absent or empty in the
    folder is emptied; events are added as from the log.
    """
    from vitrina.ingest.folder import folder_names, read_dir

    mapping = options.mapping
    found = read_dir(root, mapping.entities, mapping.columns, folder_names(domains))
    if sum(b.read_count for b in found.batches) == 0:
        raise PipelineError(
            f"--from {root}: nothing read (every file is empty); nothing changed"
            + (f"; not used: {'; '.join(found.unused)}" if found.unused else "")
        )
    by_entity = {b.entity: b for b in found.batches}
    held = {contract_for(e).domain for e in by_entity}
    emptied = [
        e
        for e in entities_of("snapshot", tuple(d for d in domains if d in held))
        if e not in by_entity or by_entity[e].read_count == 0
    ]
    batches = found.batches + [Batch(e, snapshot=True) for e in emptied if e not in by_entity]
    for e in emptied:
        log.warning("--from %s: no %s records: the warehouse's %s are emptied", root, e, e)
    return batches, emptied, found.unused


STAGE_COMMIT_RECORDS = 250_000


@dataclass(frozen=True)
class Pieces:
    """An event entity read piece by piece: the scope it replaces, and its pieces (lazily)."""

    files: list[str]
    keyed: bool
    pieces: Iterable[Batch]


def consume_events(
    settings: Settings, start_ms: int | None, end_ms: int | None, domains: tuple[str, ...]
) -> list[tuple[str, Consumed]]:
    """The event entities of ``domains`` with what the ``ingest`` consumer reads of their
    topics (not committed: the caller commits once the records are safely stored)."""
    from vitrina.eventlog import open_eventlog

    # The event topics under the profile's names (the simulator and the stream use the same).
    topics = {
        "clicks": settings.kafka.clicks_topic,
        "registrations": settings.kafka.registrations_topic,
    }
    eventlog = open_eventlog(settings.backend("eventlog"))
    # The other domains' topics are named as their entities.
    return [
        (e, eventlog.consume(topics.get(e, e), consumer="ingest", start_ms=start_ms, end_ms=end_ms))
        for e in entities_of("event", domains)
    ]


def _read_inputs(
    settings: Settings, start_ms: int | None, end_ms: int | None, domains: tuple[str, ...]
) -> tuple[list[Batch], dict[str, Pieces], Callable[[], None]]:
    """The batches of this run, the entities read piece by piece, and what to do once they are
    loaded (mark files, commit offsets)."""
    from vitrina.source import open_source

    events = consume_events(settings, start_ms, end_ms, domains)
    consumed = [c for _, c in events]
    batches: list[Batch] = []
    pieces: dict[str, Pieces] = {}
    for e, c in events:
        if streamable(e):  # files are read one at a time, while they are loaded
            pieces[e] = Pieces([ch.name for ch in c.chunks], c.keyed, log_pieces(c, e))
        else:
            batches.append(read_log(c, entity=e))

    def done() -> None:
        for c in consumed:  # only after the warehouse transaction committed
            c.commit()

    source = open_source(settings.backend("source"))
    try:
        batches += read_source(source, entities_of("snapshot", domains))
    finally:
        source.close()
    return batches, pieces, done


def _stage(
    wh: Warehouse,
    pieces: Pieces,
    entity: str,
    checks: tuple[list[RefCheck], list[RuleCheck]],
    at: datetime,
    options: IngestOptions,
) -> StreamedEntity:
    """Validate and stage one entity piece by piece (outside the run's transaction)."""
    refs, rules = checks
    s = StreamedEntity(entity, pieces.files, pieces.keyed, refs, at, options, rules=rules)
    s.begin(wh)
    # A commit every STAGE_COMMIT_RECORDS records: what the engine holds uncommitted stays
    # that size, and few commits keep the writes few.
    rest = iter(pieces.pieces)
    more = True
    with wh.scratch_writes():  # the stage tables are dropped once the run is loaded
        while more:
            with wh.transaction():
                start = s.read
                more = False
                for piece in rest:
                    s.add(wh, piece)
                    if s.read - start >= STAGE_COMMIT_RECORDS:
                        more = True
                        break
    return s


def settle(
    wh: Warehouse, prepared: dict[str, Prepared], streamed: Iterable[str], at: datetime
) -> dict[str, tuple[list[RefCheck], list[RuleCheck]]]:
    """Clean the validated entities of a run in place, and say how to check the ``streamed``
    ones (read piece by piece) the same way.

    Dedupe, then the cross-record rules and the cascade to children of quarantined records
    over this run's rows and the warehouse's clean layer; quarantine payloads quote the lines
    as written. Returns, per streamed entity, its reference checks and per-record table rules.
    """
    streamed = list(streamed)
    # Dedupe first: the world rules would otherwise quarantine a repeated key.
    for p in prepared.values():
        finish(p)
    cache: dict[str, pl.DataFrame | None] = {}

    def reference(entity: str) -> pl.DataFrame | None:
        if entity not in cache:
            cache[entity] = read_clean(wh, entity)
        return cache[entity]

    # What the cross-record rules would see of the targets of the entities read piece by
    # piece (those rules never read the latter, so they are left out of the world).
    seen = {
        e: {
            r.field: target_keys(r.targets, prepared, reference) for r in contract_for(e).references
        }
        for e in streamed
    }
    rules = {e: rule_checks(e, lambda t: world_frame(t, prepared, reference)) for e in streamed}
    apply_world_rules(prepared, reference, at, [e for e in TABLES if not streamable(e)])
    cascade_references(prepared, reference, at)
    checks = {e: (ref_checks(e, seen[e], prepared, reference), rules[e]) for e in streamed}
    cache.clear()
    for p in prepared.values():
        quote_input_lines(p)
    return checks


def load_run(
    wh: Warehouse,
    prepared: dict[str, Prepared],
    staged: list[StreamedEntity],
    at: datetime,
    options: IngestOptions,
) -> dict[str, EntityCounts]:
    """Write a settled run to the warehouse in one transaction; the counts per entity.

    ``prepared`` is emptied as its entities are written; the stage tables of ``staged`` are
    dropped once the transaction committed.
    """
    counts: dict[str, EntityCounts] = {}
    with wh.transaction():
        for entity in (*EVENT_ENTITIES, *SHOP_ENTITIES):
            if entity in prepared:
                p = prepared[entity]
                loaded = load_prepared(wh, p)
                counts[entity] = EntityCounts(
                    entity, p.read, loaded, p.duplicates, p.quarantine.height
                )
                del prepared[entity]  # the warehouse holds the rows now
        for st in staged:
            st.load(wh)
            counts[st.entity] = EntityCounts(
                st.entity, st.read, st.loaded, st.duplicates, st.quarantined
            )
        if "users" in counts:
            observe_statuses(wh, at)
        if options.keys.new:  # surrogates minted by any piece of the run
            save_keys(wh, options.keys)
    for st in staged:
        st.drop(wh)
    return counts


@records_status("ingest")
def run_ingest(
    settings: Settings,
    *,
    start_ms: int | None = None,
    end_ms: int | None = None,
    from_dir: str | Path | None = None,
    domain: str = "all",
) -> IngestReport:
    """Ingest one interval (or what is pending, or a user's folder) into the warehouse.

    Without an interval, event-log files the ``ingest`` consumer has not processed are read;
    with one, every file of the interval is re-read. Either way re-running changes nothing:
    snapshots replace, events are added by key, quarantine rows are merged. ``domain``
    (``all`` or a pipeline domain) chooses the topics, source tables and folder entities.
    """
    domains = pipeline_domains(domain)
    started = time.perf_counter()
    at = datetime.now(tz=UTC).replace(tzinfo=None, microsecond=0)
    options = IngestOptions.from_settings(settings)
    emptied: list[str] = []
    unused: list[str] = []
    pieces: dict[str, Pieces] = {}
    if from_dir:
        batches, emptied, unused = _read_folder(Path(from_dir), options, domains)
        done: Callable[[], None] = lambda: None  # noqa: E731
    else:
        batches, pieces, done = _read_inputs(settings, start_ms, end_ms, domains)
        # An empty snapshot is far more likely a source not filled yet than a shop with no
        # users: it never wipes what the warehouse holds (a folder given with --from does).
        for b in batches:
            if b.snapshot and b.read_count == 0:
                log.warning("%s: the snapshot is empty; the warehouse keeps its rows", b.entity)
        batches = [b for b in batches if not (b.snapshot and b.read_count == 0)]
    order = [*pieces, *(b.entity for b in batches)]
    for b in [b for b in batches if streamable(b.entity) and not b.snapshot]:
        pieces[b.entity] = Pieces(list(b.files), b.keyed, [b])
        batches.remove(b)

    wh = open_warehouse(settings.backend("warehouse"))
    try:
        ensure_tables(wh)
        if options.mapping.surrogate_keys:
            options.keys = load_keys(wh, options.mapping.surrogate_keys)
        prepared: dict[str, Prepared] = {}
        for b in batches:
            prepared[b.entity] = prepare(b, at, options)
            b.frames.clear()  # the parsed frames live on in the prepared ones: free them now
        checks = settle(wh, prepared, pieces, at)
        staged = [_stage(wh, src, e, checks[e], at, options) for e, src in pieces.items()]
        counts = load_run(wh, prepared, staged, at, options)
    finally:
        wh.close()
    done()
    files = sum(len(b.files) for b in batches) + sum(len(s.files) for s in pieces.values())
    report = IngestReport(
        entities=tuple(counts[e] for e in order if e in counts),
        files=files,
        seconds=time.perf_counter() - started,
        warehouse=settings.backend("warehouse"),
        emptied=tuple(emptied),
        unused=tuple(unused),
    )
    log.info(
        "ingest: %d read, %d loaded, %d quarantined", report.read, report.loaded, report.quarantined
    )
    return report
