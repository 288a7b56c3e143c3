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


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["users-stream", "--engine", "flink"], "--engine must be one of python, spark"),
        (["users-stream", "--master", "spark://h:7077"], "apply to --engine spark only"),
        (["users-stream", "--continuous"], "--continuous applies to --engine spark only"),
        (["users-stream", "--engine", "spark", "--max-per-batch", "0"], "--max-per-batch"),
        # The spark engine reads Kafka: a file event log is refused before anything starts.
        (["users-stream", "--engine", "spark"], "backends.eventlog must be kafka://"),
    ],
)
def test_bad_engine_arguments_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    from vitrina.cli import main

    data = tmp_path / "d"
    assert main(["--data-dir", str(data), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and needle in err
    assert not data.exists()


def test_kafka_records_keep_their_offset_identity_as_origin() -> None:
    from vitrina.eventlog import Chunk
    from vitrina.eventlog.kafka.reader import chunk_name

    name, line = chunk_name("registrations", 2, 100_007)
    assert (name, line) == ("kafka:registrations/2/000000100000", 8)
    good = json.dumps(_registration(4, "Dee", "2026-03-01T12:00:00Z")).encode()
    chunk = Chunk(name, good + b"\n{oops", [8, 9])
    lines = list(users_stream.registration_lines([chunk]))
    assert [origin for origin, _ in lines] == [f"{name}:8", f"{name}:9"]
    users, dead = users_stream.parse_registrations(lines)
    assert users.column("user_id").to_pylist() == [4]
    assert [d["origin"] for d in dead] == [f"{name}:9"]


def test_the_spark_submit_command_names_the_master_jars_and_settings(tmp_path: Path) -> None:
    from vitrina.spark.command import STREAM_CONF, spark_submit, submit_command

    app = tmp_path / "app.py"
    command = submit_command(
        "spark://127.0.0.1:7077", app, ["--available-now"], name="n", jars=[tmp_path / "a.jar"]
    )
    assert command[:5] == [str(spark_submit()), "--master", "spark://127.0.0.1:7077", "--name", "n"]
    assert command[5:7] == ["--jars", str(tmp_path / "a.jar")]
    assert command[-2:] == [str(app), "--available-now"]
    assert "spark.sql.session.timeZone=UTC" in command
    assert STREAM_CONF["spark.cores.max"] == "1"
    assert spark_submit().name == "spark-submit" and spark_submit().exists()
