"""``vitrina airflow``: bad usage is one line and exit 2; the script gets the chosen port."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from vitrina.cli import airflow_cmd
from vitrina.cli.app import main


def test_a_port_out_of_range_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["airflow", "up", "--port", "70000"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["vitrina: error: --port: 70000 is not a TCP port (1-65535)"]


def test_status_passes_the_port_and_profile_to_the_script(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: dict[str, str] = {}

    def fake_run(args: list[str], env: dict[str, str], *, capture: bool = False) -> object:
        seen.update(port=env["VITRINA_AIRFLOW_PORT"], profile=env["VITRINA_PROFILE"])
        seen["command"] = args[-1]

        class Done:
            returncode = 0
            stdout = f"ui                     http://127.0.0.1:{env['VITRINA_AIRFLOW_PORT']}\n"

        return Done()

    monkeypatch.setattr(airflow_cmd, "_run", fake_run)
    assert main(["--profile", "stack", "airflow", "status", "--port", "8899"]) == 0
    assert seen == {"port": "8899", "profile": "stack", "command": "status"}
    assert capsys.readouterr().out.strip() == "ui                     http://127.0.0.1:8899"


def test_help_names_the_three_commands() -> None:
    from vitrina.cli.app import app

    out = CliRunner().invoke(app, ["airflow", "--help"]).output
    assert all(c in out for c in ("up", "down", "status"))
