"""The backend registry: leaves found from their sources, config agreeing with the openers,
a missing extra as one line naming it, URL checks."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from vitrina import backends
from vitrina.backends import (
    ROLE_SCHEMES,
    check_url,
    file_path,
    local_path,
    open_backend,
    schemes,
)
from vitrina.cli import main
from vitrina.config import ROLES, load_settings
from vitrina.errors import ConfigError, UsageError


def test_every_leaf_found_in_the_sources_registers_the_same_factory_when_imported() -> None:
    found = backends.leaves()
    assert len(found) >= 11
    for leaf in found:
        importlib.import_module(leaf.module)
        for scheme in leaf.schemes:
            assert (leaf.role, scheme) in backends._FACTORIES, (leaf, scheme)
    registered = {key for key in backends._FACTORIES}
    assert registered == {(leaf.role, s) for leaf in found for s in leaf.schemes}


def test_config_roles_are_the_registry_and_agree_with_the_openers() -> None:
    assert dict(ROLES) == dict(ROLE_SCHEMES)
    assert set(schemes("eventlog")) == {"file", "memory", "s3", "kafka"}
    assert set(schemes("warehouse")) == {"duckdb", "postgresql", "postgres"}
    assert set(schemes("source")) == {"duckdb", "postgresql", "postgres"}
    assert set(schemes("marts")) == {"chdb", "clickhouse"}
    assert set(schemes("serving")) == {"file", "redis"}
    assert set(schemes("graph")) == {"igraph", "bolt", "neo4j"}


def test_config_accepts_what_the_openers_accept_and_refuses_the_rest(tmp_path: Path) -> None:
    env = {
        "VITRINA_BACKENDS_WAREHOUSE": "postgres://u:p@127.0.0.1:5432/wh",  # refused before
        "VITRINA_BACKENDS_EVENTLOG": "memory://events",
    }
    s = load_settings(environ=env, cwd=tmp_path, data_dir=tmp_path)
    assert s.backend("warehouse").startswith("postgres://")
    with pytest.raises(ConfigError, match=r"backends.eventlog: unsupported scheme 'gs://'"):
        load_settings(environ={"VITRINA_BACKENDS_EVENTLOG": "gs://b/e"}, cwd=tmp_path)
    with pytest.raises(UsageError, match="unsupported scheme"):
        open_backend("eventlog", "gs://b/e")


@pytest.mark.parametrize(
    ("role", "url", "problem"),
    [
        ("warehouse", "postgresql://u:pw@h:abc/db", "port 'abc' is not a number"),
        ("serving", "redis://h:0/0", "port '0' is not a number"),
        ("eventlog", "kafka://h1:9092,h2:x", "port 'x' is not a number"),
        ("warehouse", "postgresql://u:pw@h:5432/db", None),
        ("eventlog", "kafka://h1:9092,h2:9093", None),
        ("warehouse", "postgresql://u@[::1]:5432/db", None),
        ("warehouse", "oracle://h/db", "unsupported scheme 'oracle://'"),
        ("graph", "igraph:///data/graph", None),
    ],
)
def test_check_url(role: str, url: str, problem: str | None) -> None:
    got = check_url(role, url)
    assert (got is None) if problem is None else (got is not None and got.startswith(problem))


def test_non_numeric_port_is_one_line_exit_2_and_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: config show raised ValueError from urlsplit().port (a traceback).
    monkeypatch.setenv("VITRINA_BACKENDS_WAREHOUSE", "postgresql://u:hunter2@h:abc/db")
    assert main(["--data-dir", str(tmp_path), "config", "show"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "backends.warehouse" in err and "port 'abc'" in err
    assert "hunter2" not in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("role", "url", "module", "extra"),
    [
        ("warehouse", "postgresql://u:hunter2@127.0.0.1:1/db", "psycopg", "postgres"),
        ("source", "postgres://u:hunter2@127.0.0.1:1/db", "psycopg", "postgres"),
        ("eventlog", "kafka://127.0.0.1:1", "confluent_kafka", "kafka"),
        ("eventlog", "s3://k:hunter2@127.0.0.1:1/bucket", "s3fs", "s3"),
        ("serving", "redis://:hunter2@127.0.0.1:1/0", "redis", "redis"),
    ],
)
def test_a_missing_extra_names_the_pip_extra(
    monkeypatch: pytest.MonkeyPatch, role: str, url: str, module: str, extra: str
) -> None:
    # A None entry in sys.modules makes `import module` raise ModuleNotFoundError, as when the
    # extra is not installed. Before: ModuleNotFoundError escaped as a traceback.
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(UsageError) as err:
        open_backend(role, url)
    text = str(err.value)
    assert f"pip install 'vitrina[{extra}]'" in text and module in text
    assert "\n" not in text and "hunter2" not in text
    assert err.value.exit_code == 2


def test_cli_with_a_missing_extra_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    args = ["--profile", "stack", "--data-dir", str(tmp_path), "query", "select 1"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err == (
        "vitrina: error: the warehouse backend postgresql:// needs the Python package psycopg: "
        "pip install 'vitrina[postgres]'\n"
    )


def test_a_missing_vitrina_module_is_a_bug_not_an_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "vitrina.warehouse.postgres_wh", None)
    with pytest.raises(ModuleNotFoundError):
        open_backend("warehouse", "postgresql://u@127.0.0.1:1/db")


def test_register_lines_are_read_without_importing() -> None:
    text = (
        '"""A graph leaf."""\n\n@register("graph", "igraph", local=True)\nclass G: ...\n\n'
        '@register(\n    "graph",\n    "bolt",\n    "neo4j",\n    extra="neo4j",\n)\ndef bolt(url): ...\n'
    )
    got = list(backends._register_calls(text))
    assert [(g.role, g.schemes, g.extra, g.local) for g in got] == [
        ("graph", ("igraph",), None, True),
        ("graph", ("bolt", "neo4j"), "neo4j", False),
    ]
    with pytest.raises(Exception, match="literals only"):
        list(backends._register_calls('@register("graph", SCHEME)\ndef f(url): ...\n'))


def test_local_paths(tmp_path: Path) -> None:
    assert local_path("warehouse", f"duckdb://{tmp_path}/wh.duckdb") == tmp_path / "wh.duckdb"
    assert local_path("warehouse", "duckdb://:memory:") is None
    assert local_path("warehouse", "postgresql://h/db") is None
    assert local_path("marts", f"chdb://{tmp_path}/marts?database=x") == tmp_path / "marts"
    assert local_path("serving", "redis://h:6379/0") is None
    assert file_path(f"file://{tmp_path}/in%20put") == tmp_path / "in put"
    assert file_path("relative/dir") == Path("relative/dir")
    assert file_path("s3://b/x") is None
