"""``vitrina contracts``: export, list and validate, with their exit codes."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.support.records import jsonl, record
from vitrina.cli import main


def test_export_writes_the_files_and_prints_their_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["contracts", "export", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out.split()
    assert len(out) == 9 + 33  # the shop's and clickstream's, then the social domain's
    assert (tmp_path / "s" / "clicks.schema.json").is_file()
    assert (tmp_path / "s" / "social_users.schema.json").is_file()


def test_export_to_a_bad_directory_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["contracts", "export", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("vitrina: error: ") and "not a directory" in err
    assert main(["contracts", "export", str(tmp_path / "d"), "--entity", "nope"]) == 2
    assert not (tmp_path / "d").exists()


def test_validate_a_clean_file_prints_json_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "clicks.jsonl"
    path.write_bytes(jsonl([record("clicks"), record("clicks", event_id="e2")]))
    assert main(["contracts", "validate", "clicks", str(path), "--json"]) == 0
    summary = orjson.loads(capsys.readouterr().out)
    assert (summary["records"], summary["valid"], summary["invalid"], summary["malformed"]) == (
        2,
        2,
        0,
        0,
    )


def test_validate_a_bad_file_reports_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "clicks.jsonl"
    path.write_bytes(
        jsonl([record("clicks"), record("clicks", event_type="hover", ts="x")]) + b"{oops\n"
    )
    assert main(["contracts", "validate", "clicks", str(path)]) == 1
    captured = capsys.readouterr()
    assert (
        "line 2: clicks.event_type: 'hover' not in view|click|add_to_cart|purchase; clicks.ts:"
        in captured.out
    )
    assert "line 3: malformed JSON:" in captured.out
    assert captured.err.strip() == f"vitrina: failed: {path}: 1 invalid records, 1 malformed lines"
    assert main(["contracts", "validate", "clicks", str(path), "--json"]) == 1
    summary = orjson.loads(capsys.readouterr().out)
    assert summary["errors"] == {"event_type:enum": 1, "ts:format": 1}


def test_validate_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contracts", "validate", "nope", str(tmp_path)]) == 2
    assert "unknown entity 'nope'" in capsys.readouterr().err
    assert main(["contracts", "validate", "users", str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_list_names_every_entity(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contracts", "list"]) == 0
    out = capsys.readouterr().out
    for entity in ("users", "order_details", "loyalty_points", "clicks", "registrations"):
        assert entity in out


def test_bench_prints_its_figures_as_the_last_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contracts", "bench", "--rows", "20000", "--malformed-rate", "0.01"]) == 0
    figures = orjson.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["rows"] == 20000
    assert 100 < figures["malformed"] < 400
    assert figures["invalid"] == 0
    assert figures["parse_rows_per_s"] > 0 and figures["validate_rows_per_s"] > 0


def test_list_and_validate_cover_the_social_entities(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["contracts", "list"]) == 0
    listed = capsys.readouterr().out
    assert "social_friendships" in listed and "user_id, friend_id" in listed
    path = tmp_path / "friendships.jsonl"
    path.write_bytes(
        jsonl([record("social_friendships"), record("social_friendships", user_id=2, friend_id=2)])
    )
    assert main(["contracts", "validate", "social_friendships", str(path), "--json"]) == 1
    summary = orjson.loads(capsys.readouterr().out)
    assert (summary["valid"], summary["invalid"], summary["errors"]) == (
        1,
        1,
        {"friend_id:self": 1},
    )
