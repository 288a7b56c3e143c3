"""Publish refuses stale marts: after a failed or interrupted transform, or a newer ingest."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.support.warehouse import build_warehouse, install_manifest
from vitrina.cli import main
from vitrina.config import load_settings
from vitrina.errors import PipelineError, UsageError
from vitrina.marts.publish import check_fresh
from vitrina.stepstatus import StepStatus, read_status, record_status, records_status

WORLD = Path(__file__).parents[1] / "transform" / "world"


class _FakeDbt:
    """Stands in for dbt's runner: the build succeeds or fails without running dbt."""

    succeed = True

    def __init__(self, manifest: Any = None) -> None:
        self.manifest = manifest

    def invoke(self, args: list[str]) -> Any:
        return SimpleNamespace(
            result=SimpleNamespace(results=[]), success=type(self).succeed, exception=None
        )


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dbt_manifest: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in [n for n in __import__("os").environ if n.startswith("VITRINA_")]:
        monkeypatch.delenv(name)
    monkeypatch.setattr("dbt.cli.main.dbtRunner", _FakeDbt)
    monkeypatch.setattr("vitrina.warehouse.transform._parsed", lambda *args: None)  # no parse
    build_warehouse(tmp_path / "warehouse.duckdb")
    install_manifest(dbt_manifest, tmp_path)
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_publish_after_a_failed_transform_exits_1_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fails before the fix: publish exited 0 and published the previous dbt run's marts.
    monkeypatch.setattr(_FakeDbt, "succeed", False)
    assert _run(capsys, data_dir, "transform")[0] == 1
    code, out, err = _run(capsys, data_dir, "publish")
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("vitrina: failed: the last transform")
    assert "failed" in err
    assert not (data_dir / "serving").exists()
    assert not (data_dir / "marts").exists()


def test_publish_refuses_marts_older_than_the_last_ingest(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    # Fails before the fix: publish exited 0 with marts from before the ingest.
    (data_dir / "warehouse.duckdb").unlink()  # ingest builds its own
    assert _run(capsys, data_dir, "transform")[0] == 0
    assert _run(capsys, data_dir, "ingest", "--from", str(WORLD))[0] == 0
    code, _, err = _run(capsys, data_dir, "publish")
    assert code == 1
    assert err.count("\n") == 1 and "changed since the last transform" in err
    assert not (data_dir / "serving").exists()
    assert _run(capsys, data_dir, "transform")[0] == 0
    build_warehouse(data_dir / "warehouse.duckdb")  # the marts that transform would build
    code, _, err = _run(capsys, data_dir, "publish")
    assert code == 0 and "published" in err  # a summary: stderr


def test_statuses_are_recorded_with_their_times(data_dir: Path) -> None:
    settings = load_settings(data_dir=data_dir, environ={}, cwd=data_dir)
    calls: list[str] = []

    @records_status("demo")
    def step(_: Any, fail: type[Exception] | None = None) -> int:
        calls.append(json.loads((data_dir / "status" / "demo.json").read_text())["status"])
        if fail is not None:
            raise fail("broke\nsecond line")
        return 7

    assert step(settings) == 7
    first = read_status(data_dir, "demo")
    assert first is not None and first.ok and first.finished_at_ms >= first.started_at_ms
    with pytest.raises(PipelineError):
        step(settings, PipelineError)
    failed = read_status(data_dir, "demo")
    assert failed is not None and (failed.status, failed.detail) == ("failed", "broke")
    # Bad usage changed nothing: the record stays as it was.
    with pytest.raises(UsageError):
        step(settings, UsageError)
    assert read_status(data_dir, "demo") == failed
    assert calls == ["running", "running", "running"]


def test_an_interrupted_transform_counts_as_stale(data_dir: Path) -> None:
    record_status(data_dir, StepStatus("ingest", "ok", 1_000, 2_000))
    record_status(data_dir, StepStatus("transform", "ok", 3_000, 4_000))
    check_fresh(data_dir)
    # killed while running: the record says so, and its outputs cannot be trusted
    record_status(data_dir, StepStatus("transform", "running", 5_000, 5_000))
    with pytest.raises(PipelineError, match="was interrupted"):
        check_fresh(data_dir)
    # an ingest killed after the transform started may have changed the warehouse
    record_status(data_dir, StepStatus("transform", "ok", 5_000, 6_000))
    record_status(data_dir, StepStatus("ingest", "running", 5_500, 5_500))
    with pytest.raises(PipelineError, match="changed since the last transform"):
        check_fresh(data_dir)
