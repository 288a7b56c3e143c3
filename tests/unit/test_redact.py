"""Credentials are masked wherever they sit in a URL, in settings, messages and log lines."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import orjson
import pytest

from vitrina.backends import open_backend
from vitrina.cli import main
from vitrina.errors import BackendError, UsageError
from vitrina.redact import RedactingFilter, mask_secrets, mask_text, mask_url

SECRET = "Zx9-secret"

# Every URL form of every backend that can carry a credential, and what must stay readable.
FORMS = [
    (
        f"postgresql://vitrina:{SECRET}@127.0.0.1:5432/vitrina",
        "postgresql://vitrina:***@127.0.0.1:5432/vitrina",
    ),
    (f"postgresql://u@h/db?password={SECRET}", "postgresql://u@h/db?password=***"),
    (
        f"postgresql://u@h/db?sslmode=verify-full&sslpassword={SECRET}",
        "postgresql://u@h/db?sslmode=verify-full&sslpassword=***",
    ),
    (
        f"postgres://u:{SECRET}@h:5432/db?application_name=v",
        "postgres://u:***@h:5432/db?application_name=v",
    ),
    (f"postgresql://u:{SECRET}@h:abc/db", "postgresql://u:***@h:abc/db"),  # bad port: still masked
    (
        f"mysql://vitrina:{SECRET}@127.0.0.1:3306/vitrina",
        "mysql://vitrina:***@127.0.0.1:3306/vitrina",
    ),
    (f"mysql://u@h/db?passwd={SECRET}", "mysql://u@h/db?passwd=***"),
    (f"redis://:{SECRET}@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
    (f"redis://default:{SECRET}@h:6379/0?namespace=v", "redis://default:***@h:6379/0?namespace=v"),
    (f"redis://h/0?password={SECRET}", "redis://h/0?password=***"),
    (f"kafka://u:{SECRET}@h1:9092,h2:9092", "kafka://u:***@h1:9092,h2:9092"),
    (
        f"kafka://h:9092?sasl_password={SECRET}&partitions=6",
        "kafka://h:9092?sasl_password=***&partitions=6",
    ),
    (f"s3://vitrina:{SECRET}@127.0.0.1:9000/vitrina", "s3://vitrina:***@127.0.0.1:9000/vitrina"),
    (
        f"s3://bucket/events?access_key=AKIA&secret_key={SECRET}",
        "s3://bucket/events?access_key=***&secret_key=***",
    ),
    (f"s3://bucket/events?token={SECRET}", "s3://bucket/events?token=***"),
    (f"clickhouse://default:{SECRET}@h:8123/vitrina", "clickhouse://default:***@h:8123/vitrina"),
    (f"clickhouse://h:8123/db?password={SECRET}", "clickhouse://h:8123/db?password=***"),
    (f"bolt://neo4j:{SECRET}@127.0.0.1:7687", "bolt://neo4j:***@127.0.0.1:7687"),
    (f"neo4j://neo4j:{SECRET}@h:7687?database=g", "neo4j://neo4j:***@h:7687?database=g"),
    (
        f"telegram://bot:{SECRET}@api.telegram.org/12345",
        "telegram://bot:***@api.telegram.org/12345",
    ),
    (
        f"telegram://api.telegram.org/12345?token={SECRET}",
        "telegram://api.telegram.org/12345?token=***",
    ),
    (
        f"smtp://alerts:{SECRET}@smtp.example.com:587?to=ops@example.com",
        "smtp://alerts:***@smtp.example.com:587?to=ops@example.com",
    ),
    (f"smtp://smtp.example.com?api_key={SECRET}", "smtp://smtp.example.com?api_key=***"),
    (
        f"https://h/x?X-Amz-Signature={SECRET}&sig={SECRET}",
        "https://h/x?X-Amz-Signature=***&sig=***",
    ),
    (f"postgresql://u:p@{SECRET}@h/db", "postgresql://u:***@h/db"),  # an unencoded @ inside
]
# Forms without a credential come back unchanged.
PLAIN = [
    "file:///data/events",
    "memory://events",
    "duckdb:///data/warehouse.duckdb",
    "sqlite:///data/replica.sqlite",
    "chdb:///data/marts?database=vitrina",
    "igraph:///data/graph",
    "redis://127.0.0.1:6379/0",
    "kafka://127.0.0.1:9092?partitions=6",
    "log://",
    "mysql://vitrina@127.0.0.1:3306/vitrina",
]


@pytest.mark.parametrize(("url", "masked"), FORMS)
def test_every_credential_form_is_masked(url: str, masked: str) -> None:
    assert mask_url(url) == masked
    assert mask_secrets(url, "warehouse") == masked
    sentence = mask_text(f"cannot connect to '{url}': refused")
    assert SECRET not in sentence and masked in sentence


@pytest.mark.parametrize("url", PLAIN)
def test_urls_without_credentials_are_unchanged(url: str) -> None:
    assert mask_url(url) == url


def test_key_value_pairs_and_secret_keys() -> None:
    assert mask_text(f"host=h password={SECRET} dbname=x") == "host=h password=*** dbname=x"
    assert mask_text(f"password='{SECRET} two'") == "password=***"
    assert mask_text(f"token: {SECRET}") == "token: ***"
    assert mask_secrets(SECRET, "smtp_password") == "***"
    assert mask_secrets(SECRET, "telegram_token") == "***"
    assert mask_secrets(6, "partitions") == 6


def test_log_lines_are_masked() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("vitrina.test_redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("connecting to %s as %s", f"redis://h/0?password={SECRET}", "x")
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue() == "connecting to redis://h/0?password=*** as x\n"


def test_error_messages_of_the_registry_are_masked() -> None:
    with pytest.raises(UsageError) as err:
        open_backend("warehouse", f"oracle://u:{SECRET}@h/db?password={SECRET}")
    assert SECRET not in str(err.value) and "oracle://u:***@h/db?password=***" in str(err.value)


@pytest.mark.parametrize("as_json", [False, True])
def test_config_show_masks_every_credential(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    as_json: bool,
) -> None:
    # Before: a password given as a query parameter was printed in both formats.
    monkeypatch.setenv("VITRINA_BACKENDS_SOURCE", f"postgresql://u@h/db?password={SECRET}")
    monkeypatch.setenv("VITRINA_BACKENDS_SERVING", f"redis://h/0?password={SECRET}")
    monkeypatch.setenv(
        "VITRINA_BACKENDS_WAREHOUSE", f"postgresql://u:{SECRET}@h/db?sslpassword={SECRET}"
    )
    monkeypatch.setenv("VITRINA_BACKENDS_GRAPH", f"bolt://neo4j:{SECRET}@h:7687")
    monkeypatch.setenv("VITRINA_BACKENDS_OBJECTSTORE", f"s3://k:{SECRET}@h:9000/b?token={SECRET}")
    monkeypatch.setenv("COLUMNS", "400")
    args = ["--profile", "stack", "--data-dir", str(tmp_path), "config", "show"]
    assert main(args + (["--json"] if as_json else [])) == 0
    out = capsys.readouterr().out
    assert SECRET not in out
    if as_json:
        backends = orjson.loads(out)["backends"]
        assert backends["source"] == "postgresql://u@h/db?password=***"
        assert backends["serving"] == "redis://h/0?password=***"
        assert backends["warehouse"] == "postgresql://u:***@h/db?sslpassword=***"
        assert backends["objectstore"] == "s3://k:***@h:9000/b?token=***"
    else:
        assert "redis://h/0?password=***" in out and "bolt://neo4j:***@h:7687" in out


def test_cli_error_and_failure_lines_are_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from vitrina.cli import query_cmd

    def fail(settings: object, store: str, sql: str) -> None:
        raise BackendError(f"lost postgresql://u:{SECRET}@h/db?password={SECRET} midway")

    monkeypatch.setattr(query_cmd, "run_query", fail)
    assert main(["--data-dir", str(tmp_path), "query", "select 1"]) == 1
    err = capsys.readouterr().err
    assert err == "vitrina: failed: lost postgresql://u:***@h/db?password=*** midway\n"
    monkeypatch.setenv("VITRINA_BACKENDS_SERVING", f"ftp://u:{SECRET}@h/x")
    assert main(["--data-dir", str(tmp_path), "query", "select 1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("vitrina: error: backends.serving") and SECRET not in err


def test_simulate_summary_masks_its_outputs(tmp_path: Path) -> None:
    # Before: the summary printed the event log and OLTP source URLs as given.
    from vitrina.config import load_settings
    from vitrina.pipelines.simulate import run_simulate

    settings = load_settings(
        data_dir=tmp_path,
        environ={},
        cwd=tmp_path,
        overrides={
            "simulate": {"scale": "tiny", "duration": "1h", "start": "2026-11-02T00:00:00Z"}
        },
    )
    report = run_simulate(settings, domain="clickstream", to=f"memory://u:{SECRET}@sim/events")
    assert report.outputs["event log"] == "memory://u:***@sim/events"
