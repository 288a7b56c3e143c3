"""Configuration: defaults < vitrina.toml < environment < flags; errors name the key, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from vitrina.cli import main
from vitrina.config import load_settings, mask_secrets
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
