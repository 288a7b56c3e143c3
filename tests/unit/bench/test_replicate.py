"""``vitrina bench replicate``: its arguments are checked before any server is reached."""

from __future__ import annotations

import pytest

from vitrina.cli import main


@pytest.mark.parametrize(
    ("flag", "value"), [("--engine", "java"), ("--fraction", "0.5"), ("--scale", "huge")]
)
def test_bad_engine_fraction_or_scale_is_a_usage_error(
    flag: str, value: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing listens on port 9: reaching a server would be another error than the usage one.
    monkeypatch.setenv("VITRINA_BACKENDS_SOURCE", "postgresql://u:p@127.0.0.1:9/db")
    monkeypatch.setenv("VITRINA_BACKENDS_REPLICA", "mysql://u:p@127.0.0.1:9/db")
    assert main(["--profile", "stack", "bench", "replicate", flag, value]) == 2
    assert value in capsys.readouterr().err
