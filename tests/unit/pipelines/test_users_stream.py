"""The users stream job on embedded engines: registrations from files into a DuckDB source."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from vitrina.config import Settings, load_settings
from vitrina.eventlog import open_eventlog
from vitrina.pipelines import users_stream
from vitrina.timeutil import parse_instant_ms

T0 = parse_instant_ms("2026-03-01T12:00:00Z")


def _registration(user_id: int, first_name: str, ts: str, **extra: str) -> dict[str, object]:
    return {
        "event_id": f"e{user_id}{first_name}",
        "user_id": user_id,
        "first_name": first_name,
        "last_name": "Doe",
        "email": f"u{user_id}@example.com",
        "phone": "+15550001",
        "registration_date": ts,
        "loyalty_status": "Bronze",
        "ts": ts,
        **extra,
    }


def _write(settings: Settings, slice_ms: int, records: list[dict[str, object]]) -> None:
    body = "".join(json.dumps(r) + "\n" for r in records).encode() + b"{broken\n"
    with open_eventlog(settings.backend("eventlog")) as log:
        log.write_slice(settings.kafka.registrations_topic, slice_ms, body)


def _users(settings: Settings) -> list[tuple[object, ...]]:
    path = settings.data_dir / "source.duckdb"
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            "select user_id, first_name, loyalty_status from users order by user_id"
        ).fetchall()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(data_dir=tmp_path, environ={})


def test_upserts_by_user_and_sends_bad_records_to_dead_letters(settings: Settings) -> None:
    _write(
        settings,
        T0,
        [
            _registration(1, "Ann", "2026-03-01T12:01:00Z"),
            _registration(2, "Bob", "2026-03-01T12:02:00Z", loyalty_status="Platinum"),
            _registration(1, "Anna", "2026-03-01T12:03:00Z"),  # the latest of user 1 wins
            _registration(3, "Cid", "2026-03-01T12:04:00Z"),
        ],
    )
    report = users_stream.run(settings)
    assert (report.read, report.upserted, report.rejected) == (5, 2, 2)
    assert _users(settings) == [(1, "Anna", "Bronze"), (3, "Cid", "Bronze")]
    dead = list((settings.data_dir / "events").rglob("registrations.dlq*.jsonl"))
    assert len(dead) == 1
    reasons = [json.loads(line)["reasons"] for line in dead[0].read_text().splitlines()]
    assert any("loyalty_status" in r for rs in reasons for r in rs)
    assert any(r[0].startswith("not JSON") for r in reasons)


def test_a_second_run_reads_only_what_is_new_and_updates_in_place(settings: Settings) -> None:
    _write(settings, T0, [_registration(1, "Ann", "2026-03-01T12:01:00Z")])
    users_stream.run(settings)
    nothing = users_stream.run(settings)
    assert (nothing.read, nothing.upserted) == (0, 0)
    _write(
        settings,
        T0 + 3_600_000,
        [_registration(1, "Ann", "2026-03-01T13:01:00Z", loyalty_status="Gold")],
    )
    users_stream.run(settings)
    assert _users(settings) == [(1, "Ann", "Gold")]


def test_an_equal_registration_leaves_the_row_and_its_updated_at_alone(
    settings: Settings,
) -> None:
    def updated_at() -> object:
        with duckdb.connect(str(settings.data_dir / "source.duckdb"), read_only=True) as con:
            return con.execute("select updated_at from users where user_id = 1").fetchall()[0][0]

    _write(settings, T0, [_registration(1, "Ann", "2026-03-01T12:01:00Z")])
    users_stream.run(settings)
    first = updated_at()
    _write(settings, T0 + 60_000, [_registration(1, "Ann", "2026-03-01T12:01:00Z")])
    users_stream.run(settings)
    assert updated_at() == first  # the same values: not rewritten
    _write(
        settings,
        T0 + 120_000,
        [_registration(1, "Ann", "2026-03-01T12:01:00Z", loyalty_status="Gold")],
    )
    users_stream.run(settings)
    assert updated_at() > first  # type: ignore[operator]
    assert _users(settings) == [(1, "Ann", "Gold")]
