"""Configuration: defaults < vitrina.toml < environment < flags; errors name the key, exit 2."""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path

import orjson
import pytest

from vitrina.cli import main
from vitrina.config import ROLES, BackendSettings, load_settings, mask_secrets
from vitrina.errors import ConfigError


def test_defaults_are_the_local_profile(tmp_path: Path) -> None:
    s = load_settings(environ={}, cwd=tmp_path, data_dir=tmp_path / "d")
    assert s.profile == "local"
    assert s.backend("warehouse") == f"duckdb://{tmp_path / 'd'}/warehouse.duckdb"
    assert s.stream.size_ms == 300_000 and s.stream.hop_ms == 60_000
    assert s.stream.lateness_ms == 30_000
    assert s.simulate.scale == "classic"


def test_file_then_env_then_flags(tmp_path: Path) -> None:
    (tmp_path / "vitrina.toml").write_text(
        '[simulate]\nseed = 7\nscale = "tiny"\n[profiles.stack.backends]\nserving = "redis://10.0.0.1:6379/1"\n'
    )
    s = load_settings(environ={}, cwd=tmp_path)
    assert (s.simulate.seed, s.simulate.scale) == (7, "tiny")
    s = load_settings(environ={"VITRINA_SIMULATE_SEED": "8"}, cwd=tmp_path)
    assert s.simulate.seed == 8
    s = load_settings(
        environ={"VITRINA_SIMULATE_SEED": "8"}, cwd=tmp_path, overrides={"simulate": {"seed": 9}}
    )
    assert s.simulate.seed == 9
    s = load_settings(environ={}, cwd=tmp_path, profile="stack")
    assert s.backend("serving") == "redis://10.0.0.1:6379/1"
    assert s.backend("warehouse").startswith("postgresql://vitrina:")
    s = load_settings(
        environ={"VITRINA_PROFILE": "stack", "VITRINA_BACKENDS_SERVING": "redis://h:1/0"},
        cwd=tmp_path,
    )
    assert s.profile == "stack" and s.backend("serving") == "redis://h:1/0"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"environ": {"VITRINA_STREAM_SIZE": "five"}}, "stream.size"),
        ({"environ": {"VITRINA_STREAM_HOP": "10m"}}, "stream.hop"),
        ({"environ": {"VITRINA_BACKENDS_WAREHOUSE": "oracle://x"}}, "backends.warehouse"),
        ({"environ": {"VITRINA_SIMULATE_SCALE": "huge"}}, "simulate.scale"),
        ({"environ": {}, "profile": "prod"}, "profile"),
        ({"environ": {"VITRINA_FAULTS_LATE_RATE": "2"}}, "faults.late_rate"),
    ],
)
def test_invalid_values_name_the_key(
    tmp_path: Path, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(cwd=tmp_path, **kwargs)  # type: ignore[arg-type]


def test_unreadable_or_invalid_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(config=tmp_path / "missing.toml", environ={})
    bad = tmp_path / "bad.toml"
    bad.write_text("[simulate\nseed=")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(config=bad, environ={})
    bad.write_text("[simulate]\ncolour = 1\n")
    with pytest.raises(ConfigError, match=r"simulate\.colour: unknown key"):
        load_settings(config=bad, environ={})


def test_secrets_are_masked() -> None:
    assert (
        mask_secrets("postgresql://vitrina:s3cret@127.0.0.1:5432/db")
        == "postgresql://vitrina:***@127.0.0.1:5432/db"
    )
    assert mask_secrets("hunter2", "smtp_password") == "***"
    assert mask_secrets("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_cli_bad_config_is_one_line_exit_2_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("VITRINA_STREAM_HOP", "7m")
    code = main(["--data-dir", str(data), "simulate", "--duration", "1h"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "stream.hop" in err and "Traceback" not in err
    assert not data.exists()


def test_cli_config_show_masks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["--profile", "stack", "--data-dir", str(tmp_path), "config", "show", "--json"]) == 0
    )
    out = capsys.readouterr().out
    assert "vitrina:***@127.0.0.1:5432" in out and ":vitrina@" not in out


def test_with_overrides_keeps_resolved_values(tmp_path: Path) -> None:
    s = load_settings(environ={}, cwd=tmp_path, data_dir=tmp_path)
    t = s.with_overrides(stream={"lateness": "1m"}, simulate={"seed": 5})
    assert t.stream.lateness_ms == 60_000 and t.simulate.seed == 5
    assert t.simulate.duration_ms == s.simulate.duration_ms == 86_400_000
    assert t.backend("warehouse") == s.backend("warehouse")


def test_other_tools_variables_are_left_alone(tmp_path: Path) -> None:
    s = load_settings(
        environ={"VITRINA_POSTGRES_PORT": "5433", "VITRINA_RUN_DIR": "/x"}, cwd=tmp_path
    )
    assert s.profile == "local"


def test_sections_are_typed_and_every_role_has_a_field(tmp_path: Path) -> None:
    s = load_settings(environ={"VITRINA_KAFKA_CLICKS_TOPIC": "shop.clicks"}, cwd=tmp_path)
    assert {f.name for f in fields(BackendSettings)} == set(ROLES)
    assert s.backends.warehouse == s.backend("warehouse")
    assert (s.simulate.seed, s.simulate.duration_ms, s.simulate.slice_ms) == (
        42,
        86_400_000,
        3_600_000,
    )
    assert (s.faults.enabled, s.faults.late_by_ms) == (False, 600_000)
    assert s.stream.idle_timeout_ms == 0 and s.kafka.partitions == 6
    assert s.kafka.clicks_topic == "shop.clicks" and s.scoring.top_n == 10
    # Spelled as in vitrina.toml, and read back to the same settings.
    assert s.as_toml()["stream"] == {
        "size": "5m",
        "hop": "1m",
        "lateness": "30s",
        "idle_timeout": "0s",
    }
    assert s.with_overrides() == s


@pytest.mark.parametrize(
    ("toml", "key", "ms"),
    [
        ("[stream]\nlateness = 0\n", "lateness_ms", 0),
        ('[stream]\nlateness = "0"\n', "lateness_ms", 0),
        ('[stream]\nlateness = "1m30s"\n', "lateness_ms", 90_000),
        ('[stream]\nidle_timeout = "250ms"\n', "idle_timeout_ms", 250),
    ],
)
def test_durations_need_a_unit_except_zero(tmp_path: Path, toml: str, key: str, ms: int) -> None:
    (tmp_path / "vitrina.toml").write_text(toml)
    assert getattr(load_settings(environ={}, cwd=tmp_path).stream, key) == ms


@pytest.mark.parametrize(
    ("toml", "environ", "key"),
    [
        # A bare number was milliseconds in TOML and refused in the environment: now refused in both.
        ("[stream]\nlateness = 30000\n", {}, "stream.lateness"),
        ("", {"VITRINA_STREAM_LATENESS": "30000"}, "stream.lateness"),
        ("[simulate]\nduration = 1.5\n", {}, "simulate.duration"),
        ('[simulate]\nduration = "99999999999d"\n', {}, "simulate.duration"),
        ("[kafka]\npartitions = 0\n", {}, "kafka.partitions"),
        ("", {"VITRINA_KAFKA_PARTITIONS": "0"}, "kafka.partitions"),
        ("[simulate]\nspeed = nan\n", {}, "simulate.speed"),
        ("", {"VITRINA_SIMULATE_SPEED": "inf"}, "simulate.speed"),
        ("[scoring]\nclick_weight = inf\n", {}, "scoring.click_weight"),
    ],
)
def test_one_rule_for_numbers_and_durations_from_every_source(
    tmp_path: Path, toml: str, environ: dict[str, str], key: str
) -> None:
    (tmp_path / "vitrina.toml").write_text(toml)
    with pytest.raises(ConfigError, match=key):
        load_settings(environ=environ, cwd=tmp_path)


def test_config_file_that_is_not_utf8_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "vitrina.toml"
    bad.write_bytes('[simulate]\nscale = "caf\xe9"\n'.encode("latin-1"))
    data = tmp_path / "data"
    assert main(["--config", str(bad), "--data-dir", str(data), "config", "show"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not UTF-8" in err and str(bad) in err
    assert not data.exists()


def test_config_show_prints_durations_as_durations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VITRINA_STREAM_LATENESS", "90s")
    assert main(["--data-dir", str(tmp_path), "config", "show", "--json"]) == 0
    doc = orjson.loads(capsys.readouterr().out)
    assert doc["stream"] == {"size": "5m", "hop": "1m", "lateness": "1m30s", "idle_timeout": "0s"}
    assert doc["simulate"]["duration"] == "1d" and doc["faults"]["late_by"] == "10m"


@pytest.mark.parametrize("case", ["file", "under a file", "empty", "read-only parent"])
def test_bad_data_dir_is_one_line_exit_2_nothing_written(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    a_file = tmp_path / "a_file"
    a_file.write_text("keep me\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    data_dir = {
        "file": str(a_file),
        "under a file": str(a_file / "data"),
        "empty": "",
        "read-only parent": str(locked / "data"),
    }[case]
    if case == "read-only parent":
        # chmod does not stop root, who runs some test machines: ask the same question os.access asks.
        real_access = os.access
        monkeypatch.setattr(
            os, "access", lambda p, mode: Path(p) != locked and real_access(p, mode)
        )
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code = main(["--data-dir", data_dir, "simulate", "--scale", "tiny", "--duration", "1h"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and "general.data_dir" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert a_file.read_text() == "keep me\n"


def test_unknown_variables_warn_but_the_service_scripts_pass_silently(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    environ = {
        "VITRINA_AIRFLOW_PORT": "8781",
        "VITRINA_KAFKA_PORT": "9093",
        "VITRINA_SPARK_WORKERS": "2",
        "VITRINA_RUN_DIR": "/tmp/run",
        "VITRINA_STREAM_LATENESS": "1m",
        "VITRINA_STREAM_LATENES": "1m",
    }
    with caplog.at_level("WARNING", logger="vitrina.config"):
        s = load_settings(environ=environ, cwd=tmp_path, data_dir=tmp_path / "d")
    assert s.stream.lateness_ms == 60_000
    assert [r.getMessage() for r in caplog.records] == [
        "ignoring VITRINA_STREAM_LATENES: not a setting (see `vitrina config show`)"
    ]
