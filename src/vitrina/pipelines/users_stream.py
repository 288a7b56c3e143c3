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
from dataclasses import dataclass
from typing import Any

import polars as pl
import pyarrow as pa

from vitrina.config import Settings
from vitrina.contracts.batch import output_schema, validate_table
from vitrina.pipelines.interval import Interval
from vitrina.redact import mask_url
from vitrina.timeutil import utc_now_ms

__all__ = ["USER_COLUMNS", "UsersStreamReport", "parse_registrations", "run"]

log = logging.getLogger(__name__)

CONSUMER = "users_stream"
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


def parse_registrations(payloads: list[tuple[str, bytes]]) -> tuple[pa.Table, list[dict[str, Any]]]:
    """Valid registrations as users rows (one per user, the latest), and the dead letters.

    ``payloads`` are (origin, JSON lines) pairs; a dead letter names its origin and line.
    """
    records: list[dict[str, Any]] = []
    dead: list[dict[str, Any]] = []
    for origin, payload in payloads:
        for number, line in enumerate(payload.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                dead.append({"origin": f"{origin}:{number}", "reasons": [f"not JSON: {exc}"]})
                continue
            if not isinstance(record, dict):
                dead.append({"origin": f"{origin}:{number}", "reasons": ["not a JSON object"]})
                continue
            records.append({**record, "_origin": f"{origin}:{number}"})
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
    valid = checked.valid.sort("ts").unique("user_id", keep="last", maintain_order=True)
    return _users(valid), dead


def _users(valid: pl.DataFrame) -> pa.Table:
    schema = pl.DataFrame(schema=output_schema("users")).to_arrow().schema
    if valid.height == 0:
        return schema.empty_table()
    return valid.select(USER_COLUMNS).sort("user_id").to_arrow().cast(schema)


def _upsert(source: Any, users: pa.Table) -> None:
    """Upsert into the source's ``users`` in one transaction: new users are inserted, changed
    ones updated, equal rows left untouched (their ``updated_at`` too)."""
    source.apply_changes({"users": users}, {})


def run(settings: Settings, interval: Interval | None = None) -> UsersStreamReport:
    """Apply every registration not processed yet to the source's users; commit the position."""
    from vitrina.eventlog import open_eventlog
    from vitrina.source import open_source

    topic = settings.kafka.registrations_topic
    report = UsersStreamReport(settings.backend("source"))
    with open_eventlog(settings.backend("eventlog")) as eventlog:
        consumed = eventlog.consume(topic, consumer=CONSUMER)
        payloads = [(c.name, c.payload) for c in consumed.chunks]
        users, dead = parse_registrations(payloads)
        report.read = sum(len([x for x in p.splitlines() if x.strip()]) for _, p in payloads)
        report.rejected = len(dead)
        if users.num_rows:
            source = open_source(settings.backend("source"))
            try:
                _upsert(source, users)
            finally:
                source.close()
        report.upserted = users.num_rows
        if dead:
            at = interval.start_ms if interval else utc_now_ms()
            body = "".join(json.dumps(d, sort_keys=True, default=str) + "\n" for d in dead)
            eventlog.write_slice(
                f"{topic}.dlq", at - at % settings.simulate.slice_ms, body.encode()
            )
            eventlog.flush()
            log.warning("users_stream: %d registrations to %s.dlq", len(dead), topic)
        consumed.commit()
    return report
