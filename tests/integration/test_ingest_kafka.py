"""Ingest from Kafka (stack event log): offsets committed after the load, re-reads change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import orjson
import pyarrow as pa
import pytest

from tests.support.digests import table_digests
from vitrina.config import Settings, load_settings
from vitrina.eventlog.kafka import KafkaEventLog
from vitrina.ingest import run_ingest
from vitrina.source import open_source

pytestmark = pytest.mark.services("kafka")


def _source_tables() -> dict[str, pa.Table]:
    ts = pa.timestamp("us", tz="UTC")
    day = datetime(2026, 1, 1, tzinfo=UTC)
    money = pa.decimal128(12, 2)
    empty_ts = pa.array([], ts)
    return {
        "users": pa.table(
            {
                "user_id": [1, 2],
                "first_name": ["Ann", "Bob"],
                "last_name": ["Lee", "Roy"],
                "email": ["ann@example.com", "bob@example.com"],
                "phone": ["+1 555 0101", "+1 555 0102"],
                "registration_date": pa.array([day, day], ts),
                "loyalty_status": ["Gold", "Silver"],
            }
        ),
        "categories": pa.table(
            {
                "category_id": [1],
                "name": ["Books"],
                "parent_category_id": pa.array([None], pa.int64()),
            }
        ),
        "products": pa.table(
            {
                "product_id": [10, 11],
                "name": ["Novel", "Atlas"],
                "description": ["a", "b"],
                "category_id": [1, 1],
                "price": pa.array([Decimal("1.00"), Decimal("2.00")], money),
                "stock_quantity": [1, 1],
                "creation_date": pa.array([day, day], ts),
            }
        ),
        "orders": pa.table(
            {
                "order_id": pa.array([], pa.int64()),
                "user_id": pa.array([], pa.int64()),
                "order_date": empty_ts,
                "total_amount": pa.array([], money),
                "status": pa.array([], pa.string()),
                "delivery_date": empty_ts,
            }
        ),
    }


def _clicks(ids: range, duplicate_of: int | None = None) -> tuple[bytes, list[bytes]]:
    lines = []
    for i in ids:
        lines.append(
            orjson.dumps(
                {
                    "event_id": f"k{i}",
                    "user_id": 1 + i % 2,
                    "session_id": "s",
                    "product_id": 10 + i % 2,
                    "event_type": "click",
                    "ts": f"2026-11-22T12:00:{i % 60:02d}.000Z",
                    "device": "mobile",
                }
            )
        )
    if duplicate_of is not None:
        lines.append(lines[duplicate_of])
    lines.append(b'{"event_id": "broken"')
    return b"\n".join(lines) + b"\n", [str(i).encode() for i in range(len(lines))]


_TABLES = ("raw.clicks", "clean.clicks", "clean.click_arrivals", "raw.quarantine")


def _digests(settings: Settings) -> dict[str, tuple[int, str]]:
    return table_digests(settings, _TABLES)


def test_kafka_ingest_commits_offsets_and_is_idempotent(
    tmp_path: Path, kafka_bootstrap: str, kafka_topic: Callable[..., str]
) -> None:
    topic = kafka_topic(partitions=2, prefix="ingest-clicks")
    settings = load_settings(
        data_dir=tmp_path,
        environ={},
        cwd=tmp_path,
        overrides={
            "backends": {"eventlog": f"kafka://{kafka_bootstrap}"},
            "kafka": {"clicks_topic": topic},
        },
    )
    src = open_source(settings.backend("source"))
    src.replace_tables(_source_tables())
    src.close()
    sink = KafkaEventLog(f"kafka://{kafka_bootstrap}")
    payload, keys = _clicks(range(0, 50), duplicate_of=3)
    sink.write_slice(topic, 0, payload, keys)
    sink.flush()

    first = run_ingest(settings).counts("clicks")
    assert (first.read, first.loaded, first.duplicates, first.quarantined) == (52, 50, 1, 1)

    before = _digests(settings)
    again = run_ingest(settings).counts("clicks")
    assert again.read == 0  # the group's offsets were committed after the load
    assert _digests(settings) == before

    payload, keys = _clicks(range(50, 60))
    sink.write_slice(topic, 0, payload, keys)
    sink.flush()
    more = run_ingest(settings).counts("clicks")
    assert (more.read, more.loaded, more.quarantined) == (11, 10, 1)
    after_more = _digests(settings)
    assert after_more["clean.clicks"][0] == 60 and after_more["raw.clicks"][0] == 61

    reread = run_ingest(settings, start_ms=0, end_ms=2**62).counts(
        "clicks"
    )  # the whole topic again
    assert (reread.read, reread.loaded) == (63, 0)
    assert _digests(settings) == after_more
    sink.close()
