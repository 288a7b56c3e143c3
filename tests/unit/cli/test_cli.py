"""Smoke tests of the foundation commands through the real entry point."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from vitrina.cli import main
from vitrina.contracts.registry import entities_of
from vitrina.timeutil import parse_instant_ms, utc_now_ms


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
        (["simulate", "--speed", "nan"], "simulate.speed"),
        (["simulate", "--speed", "inf"], "simulate.speed"),
        (["simulate", "--duration", "99999999999d"], "simulate.duration"),
        (["simulate", "--duration", "3600000"], "simulate.duration"),
        (["run", "--duration", "0"], "simulate.duration"),
        (["run", "--engine", "spark"], "--engine spark needs the Spark cluster"),
        (["run", "--engine", "flink"], "--engine must be one of python, spark"),
        (["bench", "replicate"], "needs a postgresql:// source and a mysql:// replica"),
        (["bench", "replicate", "--scale", "galactic"], "--scale must be one of"),
        (["ingest", "--start", "2026-11-02", "--end", "2026-11-02"], "--start"),
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
    assert "│ interval" in out
    assert "[2026-11-02T00:00:00.000Z," in out and "2026-11-02T02:00:00.000Z)" in out
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
    assert sorted(p.name for p in (tmp_path / "events").iterdir()) == sorted(
        ["registrations", "shop.clicks", *entities_of("event", ("social",))]
    )


def test_start_now_at_speed_0_simulates_the_interval_that_ends_now(tmp_path: Path) -> None:
    before_ms = utc_now_ms()
    args = ["simulate", "--scale", "tiny", "--duration", "2h", "--domain", "clickstream"]
    code = main(["--data-dir", str(tmp_path), *args])
    after_ms = utc_now_ms()
    assert code == 0
    stamps = [
        parse_instant_ms(orjson.loads(line)["ts"])
        for path in (tmp_path / "events" / "clicks").rglob("*.jsonl")
        for line in path.read_bytes().splitlines()
    ]
    assert len(stamps) > 10
    # Nothing dated in the future; the two hours before now are covered.
    assert max(stamps) < after_ms
    assert min(stamps) >= before_ms - before_ms % 60_000 - 2 * 3_600_000
    assert max(stamps) > before_ms - 3_600_000


def test_summaries_go_to_stderr_and_stdout_stays_for_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path)]
    args = ["--scale", "tiny", "--start", "2026-11-02", "--duration", "1h"]
    assert main([*data, "simulate", *args]) == 0
    assert capsys.readouterr().out == ""
    assert main(["ingest", *data]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "vitrina ingest" in captured.err and "records from" in captured.err
    # Data does go to stdout.
    assert main([*data, "config", "show", "--json"]) == 0
    assert orjson.loads(capsys.readouterr().out)["general"]["data_dir"] == str(tmp_path)


def _all_commands() -> list[list[str]]:
    import typer

    from vitrina.cli.app import _load_commands, app

    _load_commands()
    out: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        subs = getattr(command, "commands", {})
        if not subs:
            out.append(path)
        for name, sub in subs.items():
            if not getattr(sub, "hidden", False):
                walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return out


def test_every_subcommand_help_names_the_global_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    commands = _all_commands()
    assert ["simulate"] in commands and ["config", "show"] in commands and len(commands) >= 12
    for path in commands:
        assert main([*path, "--help"]) == 0, path
        text = " ".join(capsys.readouterr().out.split())
        for option in ("--data-dir DIR", "--config FILE", "--profile local|stack", "-v/--verbose"):
            assert option in text, (path, option)


def test_verbose_is_global_before_or_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["config", "show", "--json", "-v", "--data-dir", str(tmp_path)]) == 0
    assert orjson.loads(capsys.readouterr().out)["stream"]["size"] == "5m"


def test_a_missing_optional_package_is_one_line_naming_its_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import vitrina.pipelines.replicate as replicate_job

    def without_pyspark(*args: object, **kwargs: object) -> None:
        raise ModuleNotFoundError("No module named 'pyspark'", name="pyspark")

    # As on a machine with only the local extra, where the job imports pyspark.
    monkeypatch.setattr(replicate_job, "run", without_pyspark)
    code = main(["--data-dir", str(tmp_path), "replicate"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err == [
        "vitrina: error: this command needs the Python package pyspark, "
        "which is not installed: pip install 'vitrina[spark]'"
    ]
