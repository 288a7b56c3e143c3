"""Smoke tests of the foundation commands through the real entry point."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from vitrina.cli import main


def test_simulate_writes_events_and_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "--data-dir",
            str(tmp_path),
            "simulate",
            "--scale",
            "tiny",
            "--start",
            "2026-11-02T00:00:00Z",
            "--duration",
            "3h",
            "--seed",
            "1",
            "--faults",
        ]
    )
    assert code == 0
    clicks = sorted((tmp_path / "events" / "clicks").rglob("*.jsonl"))
    assert [p.name for p in clicks][:1] == ["clicks.20261102T000000Z.jsonl"]
    assert (tmp_path / "source.duckdb").stat().st_size > 0
    manifest = (tmp_path / "faults" / "manifest.jsonl").read_bytes().splitlines()
    assert manifest and {orjson.loads(m)["kind"] for m in manifest} >= {"violation"}
    assert "events.clicks" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["simulate", "--duration", "forever"], "simulate.duration"),
        (["simulate", "--scale", "galactic"], "simulate.scale"),
        (["simulate", "--domain", "weather"], "--domain"),
        (["simulate", "--start", "yesterday-ish"], "simulate.start"),
        (["simulate", "--nope"], "No such option"),
        (["run", "--profile", "cloud"], "profile"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    data = tmp_path / "d"
    assert main(["--data-dir", str(data), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and needle in err
    assert not data.exists()


def test_run_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "run",
            "--data-dir",
            str(tmp_path),
            "--scale",
            "tiny",
            "--duration",
            "2h",
            "--start",
            "2026-11-02",
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    # A run's report is a summary: stderr, leaving stdout for data.
    out = captured.err
    assert captured.out == ""
    for step in ("simulate", "ingest", "transform", "publish"):
        assert f"│ {step}" in out
    assert "events.clicks:" in out and "top products" in out
    assert "interval [2026-11-02T00:00:00.000Z, 2026-11-02T02:00:00.000Z)" in out
    assert (
        main(
            [
                "query",
                "--data-dir",
                str(tmp_path),
                "--store",
                "marts",
                "--format",
                "json",
                "select count(*) as n from top_products",
            ]
        )
        == 0
    )
    assert orjson.loads(capsys.readouterr().out) == [{"n": 10}]


def test_bench_generate_last_line_is_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "generate", "--events", "2000", "--repeat", "1"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    figures = orjson.loads(last)
    assert figures["events"] == 2000 and figures["faker_events"] == 2000
    assert figures["events_per_s"] > 0 and figures["faker_events_per_s"] > 0
    assert figures["ratio"] == pytest.approx(
        figures["events_per_s"] / figures["faker_events_per_s"], rel=0.01
    )


def test_exit_codes_of_commands_are_kept(tmp_path: Path) -> None:
    """A command ending in typer.Exit(n) exits n (click returns it without standalone mode)."""
    import typer

    from vitrina.cli.app import app

    @app.command("exit-probe", hidden=True)
    def _probe(code: int) -> None:
        raise typer.Exit(code)

    try:
        assert main(["exit-probe", "3"]) == 3
        assert main(["exit-probe", "0"]) == 0
    finally:
        app.registered_commands[:] = [c for c in app.registered_commands if c.name != "exit-probe"]


def test_simulate_writes_clicks_under_the_configured_topic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VITRINA_KAFKA_CLICKS_TOPIC", "shop.clicks")
    code = main(
        [
            "--data-dir",
            str(tmp_path),
            "simulate",
            "--scale",
            "tiny",
            "--start",
            "2026-11-02",
            "--duration",
            "2h",
        ]
    )
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "events").iterdir()) == [
        "registrations",
        "shop.clicks",
    ]
