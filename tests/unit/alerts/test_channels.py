"""The alert channels against in-process servers: what is sent, and what never is."""

from __future__ import annotations

import email
import email.policy
import logging

import pytest

from vitrina.alerts import Alert, Credentials, credentials_from_env, open_channels, send
from vitrina.errors import UsageError

from .servers import Recorded

TOKEN = "123456:AAH-secret-token-value"
PASSWORD = "s3cret-smtp-pass"

FAILURE = Alert(
    kind="failure",
    dag_id="shop_etl",
    task_id="transform",
    run_id="scheduled__2026-12-02T04:00:00+00:00",
    try_number=3,
    log_url="http://127.0.0.1:8794/dags/shop_etl/runs/x/tasks/transform",
    error="Traceback ...\nvitrina.errors.BackendError: warehouse unreachable",
)


def test_telegram_posts_send_message_with_every_field(bot_api: Recorded) -> None:
    channels = open_channels(f"telegram://{TOKEN}@{bot_api.url}/-1001?tls=false")
    assert send(FAILURE, channels) == 1
    assert len(bot_api.requests) == 1
    request = bot_api.requests[0]
    assert request["path"] == f"/bot{TOKEN}/sendMessage"
    assert request["body"]["chat_id"] == "-1001"
    text = request["body"]["text"]
    for line in (
        "dag_id: shop_etl",
        "task_id: transform",
        "run_id: scheduled__2026-12-02T04:00:00+00:00",
        "try_number: 3",
        "log_url: http://127.0.0.1:8794/dags/shop_etl/runs/x/tasks/transform",
        "vitrina.errors.BackendError: warehouse unreachable",
    ):
        assert line in text.splitlines()


def test_telegram_token_from_credentials(bot_api: Recorded) -> None:
    creds = credentials_from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "OTHER": "x"})
    assert creds.values == {"telegram_token": TOKEN}
    channels = open_channels(f"telegram://{bot_api.url}/42?tls=false", creds)
    assert send(FAILURE, channels) == 1
    assert bot_api.requests[0]["path"] == f"/bot{TOKEN}/sendMessage"


def test_missing_token_is_a_warning_not_an_error(
    bot_api: Recorded, caplog: pytest.LogCaptureFixture
) -> None:
    channels = open_channels(f"telegram://{bot_api.url}/42?tls=false")
    with caplog.at_level(logging.WARNING, "vitrina.alerts"):
        assert send(FAILURE, channels) == 0
    assert bot_api.requests == []
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert "no bot token" in caplog.records[0].getMessage()


def test_api_refusal_is_logged_without_the_token(
    bot_api: Recorded, caplog: pytest.LogCaptureFixture
) -> None:
    bot_api.answer = {"ok": False, "description": f"Unauthorized: token {TOKEN} revoked"}
    channels = open_channels(f"telegram://{TOKEN}@{bot_api.url}/42?tls=false")
    with caplog.at_level(logging.WARNING, "vitrina.alerts"):
        assert send(FAILURE, channels) == 0
    assert len(caplog.records) == 1
    assert "Unauthorized" in caplog.text
    assert TOKEN not in caplog.text and "AAH-secret" not in caplog.text


def test_unreachable_api_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    # Port 9 (discard) is closed on the test machines: the connection is refused at once.
    channels = open_channels(f"telegram://{TOKEN}@127.0.0.1:9/42?tls=false")
    with caplog.at_level(logging.WARNING, "vitrina.alerts"):
        assert send(FAILURE, channels) == 0
    assert "telegram alert not sent" in caplog.text
    assert TOKEN not in caplog.text


def test_smtp_sends_one_mail_with_every_field(smtp_server: Recorded) -> None:
    url = f"smtp://{smtp_server.url}?to=ops@example.com,oncall@example.com&from=etl@example.com"
    assert send(FAILURE, open_channels(url)) == 1
    assert len(smtp_server.requests) == 1
    got = smtp_server.requests[0]
    assert got["from"] == "etl@example.com"
    assert got["to"] == ["ops@example.com", "oncall@example.com"]
    mail = email.message_from_string(got["data"], policy=email.policy.default)
    assert mail["Subject"].strip() == (  # a folded header keeps its leading space
        "[vitrina] shop_etl.transform failed (scheduled__2026-12-02T04:00:00+00:00)"
    )
    body = mail.get_content()
    assert "try_number: 3" in body.splitlines()
    assert "vitrina.errors.BackendError: warehouse unreachable" in body


def test_smtp_user_without_password_warns(
    smtp_server: Recorded, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"smtp://alerts@{smtp_server.url}?to=ops@example.com"
    with caplog.at_level(logging.WARNING, "vitrina.alerts"):
        assert send(FAILURE, open_channels(url)) == 0
    assert smtp_server.requests == []
    assert "no password for SMTP user 'alerts'" in caplog.text


def test_smtp_without_recipients_warns(
    smtp_server: Recorded, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, "vitrina.alerts"):
        assert send(FAILURE, open_channels(f"smtp://{smtp_server.url}")) == 0
    assert "no recipients" in caplog.text


def test_smtp_login_failure_never_shows_the_password(
    smtp_server: Recorded, caplog: pytest.LogCaptureFixture
) -> None:
    # The in-process server offers no AUTH: the login fails, the password stays hidden.
    url = f"smtp://alerts@{smtp_server.url}?to=ops@example.com"
    creds = Credentials({"smtp_password": PASSWORD})
    with caplog.at_level(logging.WARNING, "vitrina.alerts"):
        assert send(FAILURE, open_channels(url, creds)) == 0
    assert "smtp alert not sent" in caplog.text
    assert PASSWORD not in caplog.text
    assert smtp_server.requests == []


def test_secrets_in_the_error_never_reach_a_message(
    bot_api: Recorded, caplog: pytest.LogCaptureFixture
) -> None:
    leaky = Alert(
        kind="failure",
        dag_id="d",
        run_id="r",
        error=f"cannot connect to postgresql://vitrina:dbpass@h/db with token {TOKEN}",
    )
    channels = open_channels(
        f"telegram://{TOKEN}@{bot_api.url}/42?tls=false, log://", Credentials()
    )
    with caplog.at_level(logging.INFO, "vitrina.alerts"):
        assert send(leaky, channels) == 2
    sent = bot_api.requests[0]["body"]["text"]
    assert "cannot connect to" in sent
    for where in (sent, caplog.text):
        assert TOKEN not in where
        assert "dbpass" not in where
    assert "postgresql://vitrina:***@h/db" in caplog.text


def test_log_channel_levels(caplog: pytest.LogCaptureFixture) -> None:
    ok = Alert(kind="success", dag_id="shop_etl", run_id="manual__1")
    with caplog.at_level(logging.INFO, "vitrina.alerts"):
        assert send(ok, open_channels("log://")) == 1
        assert send(FAILURE, open_channels("log://")) == 1
    assert [r.levelname for r in caplog.records] == ["INFO", "ERROR"]
    assert caplog.records[0].getMessage().splitlines()[0] == (
        "[vitrina] shop_etl succeeded (manual__1)"
    )


def test_unknown_scheme_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="alerts URL scheme 'slack' unsupported"):
        open_channels("log://, slack://x")
