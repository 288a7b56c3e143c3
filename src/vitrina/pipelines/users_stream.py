"""The users stream job: registration events from the event log into the OLTP source's users.

Each run reads the registrations its consumer (``users_stream``) has not processed yet,
validates them against the ``registrations`` contract, and upserts the valid ones into the
source's ``users`` table keyed by ``user_id`` (the latest registration of a user wins). The
consumer's position is committed only after the upsert committed, so a failed run is read
again, and a re-read changes nothing: a row whose values are the same is not written.
Invalid records go to the dead-letter topic ``<registrations topic>.dlq`` with their reasons.

Like the stream job, the interval does not cut the input (a log's message times are arrival
times): every registration that has arrived is applied.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

import polars as pl
import pyarrow as pa

from vitrina.config import Settings
from vitrina.contracts.batch import output_schema, validate_table
from vitrina.errors import UsageError
from vitrina.eventlog.base import Chunk, EventLog
from vitrina.pipelines.interval import Interval
from vitrina.redact import mask_url
from vitrina.timeutil import utc_now_ms

__all__ = [
    "ENGINES",
    "USER_COLUMNS",
    "UsersStreamReport",
    "apply_registrations",
    "parse_registrations",
    "registration_lines",
    "run",
]

log = logging.getLogger(__name__)

CONSUMER = "users_stream"
ENGINES: Final = ("python", "spark")
# The users table's columns, as its contract names them (a registration carries them all).
USER_COLUMNS = tuple(output_schema("users").names())


@dataclass
class UsersStreamReport:
    source_url: str
    read: int = 0
    upserted: int = 0
    rejected: int = 0

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("OLTP source", mask_url(self.source_url)),
            ("registrations read", str(self.read)),
            ("users upserted", str(self.upserted)),
            ("rejected (dead letters)", str(self.rejected)),
        ]


def registration_lines(chunks: Iterable[Chunk]) -> Iterator[tuple[str, bytes]]:
    """(origin, line) for every non-blank line of the chunks read from the event log.

    The origin is ``<chunk name>:<line>``: for Kafka ``kafka:<topic>/<partition>/<block>:<n>``
    with ``n = offset - block + 1``, the identity a record keeps however the reads are split.
    """
    for chunk in chunks:
        numbers = chunk.line_numbers
        for index, line in enumerate(chunk.payload.split(b"\n")):
            if line.strip():
                yield f"{chunk.name}:{numbers[index] if numbers else index + 1}", line


def parse_registrations(
    lines: Iterable[tuple[str, bytes]],
) -> tuple[pa.Table, list[dict[str, Any]]]:
    """Valid registrations as users rows (one per user, the latest), and the dead letters.

    ``lines`` are (origin, JSON line) pairs; a dead letter names its origin.
    """
    records: list[dict[str, Any]] = []
    dead: list[dict[str, Any]] = []
    for origin, line in lines:
        try:
            record = json.loads(line)
        except ValueError as exc:
            dead.append({"origin": origin, "reasons": [f"not JSON: {exc}"]})
            continue
        if not isinstance(record, dict):
            dead.append({"origin": origin, "reasons": ["not a JSON object"]})
            continue
        records.append({**record, "_origin": origin})
    if not records:
        return _users(pl.DataFrame()), dead
    names = sorted({k for r in records for k in r})
    # Every field as text: the contract parses and checks each one.
    frame = pl.DataFrame(
        {n: [None if r.get(n) is None else str(r[n]) for r in records] for n in names},
        schema=dict.fromkeys(names, pl.String),
    )
    checked = validate_table("registrations", frame.drop("_origin"))
    for row in checked.invalid.iter_rows(named=True):
        dead.append(
            {
                "origin": records[int(row["_row"])]["_origin"],
                "reasons": list(row["reasons"]),
                "record": {k: v for k, v in records[int(row["_row"])].items() if k != "_origin"},
            }
        )
    valid = checked.valid.sort("ts", maintain_order=True).unique(
        "user_id", keep="last", maintain_order=True
    )
    return _users(valid), dead


def _users(valid: pl.DataFrame) -> pa.Table:
    schema = pl.DataFrame(schema=output_schema("users")).to_arrow().schema
    if valid.height == 0:
        return schema.empty_table()
    return valid.select(USER_COLUMNS).sort("user_id").to_arrow().cast(schema)


def apply_registrations(
    settings: Settings,
    eventlog: EventLog,
    lines: list[tuple[str, bytes]],
    at_ms: int,
    report: UsersStreamReport,
) -> None:
    """Upsert the valid registrations into the source's ``users`` in one transaction (new users
    inserted, changed ones updated, equal rows left untouched, their ``updated_at`` too) and send
    the invalid ones to ``<registrations topic>.dlq``; ``report`` counts them.

    Both engines call this: the python path once per run, the Spark stream once per micro-batch.
    """
    from vitrina.source import open_source

    users, dead = parse_registrations(lines)
    if users.num_rows:
        source = open_source(settings.backend("source"))
        try:
            source.apply_changes({"users": users}, {})
        finally:
            source.close()
    if dead:
        topic = f"{settings.kafka.registrations_topic}.dlq"
        body = "".join(json.dumps(d, sort_keys=True, default=str) + "\n" for d in dead)
        eventlog.write_slice(topic, at_ms - at_ms % settings.simulate.slice_ms, body.encode())
        eventlog.flush()
        log.warning("users_stream: %d registrations to %s", len(dead), topic)
    report.read += len(lines)
    report.upserted += users.num_rows
    report.rejected += len(dead)


def run(
    settings: Settings,
    interval: Interval | None = None,
    *,
    engine: str = "python",
    master: str | None = None,
    available_now: bool = True,
    max_per_batch: int | None = None,
) -> UsersStreamReport:
    """Apply every registration not processed yet to the source's users; commit the position.

    ``engine="spark"`` submits the Structured Streaming job (:mod:`vitrina.spark.users_job`) to
    ``master`` (default: the profile's ``backends.spark``) with spark-submit and waits for it:
    with ``available_now`` it stops once everything on the topic is applied, otherwise it runs
    until stopped. ``max_per_batch`` caps the records of one micro-batch.
    """
    if engine not in ENGINES:
        raise UsageError(
            f"unknown users_stream engine {engine!r} (choose from {', '.join(ENGINES)})"
        )
    if engine == "spark":
        from vitrina.spark.users_job import submit

        return submit(
            settings, master=master, available_now=available_now, max_per_batch=max_per_batch
        )
    from vitrina.eventlog import open_eventlog

    report = UsersStreamReport(settings.backend("source"))
    with open_eventlog(settings.backend("eventlog")) as eventlog:
        consumed = eventlog.consume(settings.kafka.registrations_topic, consumer=CONSUMER)
        lines = list(registration_lines(consumed.chunks))
        at = interval.start_ms if interval else utc_now_ms()
        apply_registrations(settings, eventlog, lines, at, report)
        consumed.commit()
    return report
