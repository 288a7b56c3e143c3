"""The ``telegram://`` channel: the Bot API's ``sendMessage`` over HTTPS (stdlib urllib).

URL: ``telegram://[TOKEN@]HOST[:PORT]/CHAT_ID[?tls=false]``. HOST is the API's host
(``api.telegram.org`` when empty: ``telegram:///CHAT_ID``); ``tls=false`` speaks plain HTTP
(a local test server). A bot token ``123456:ABC...`` fits the URL's ``user:password``; without
it the token comes from the credentials (an Airflow connection or the environment).
"""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import parse_qs, unquote, urlsplit

from vitrina.alerts.base import AlertChannel
from vitrina.alerts.message import Alert
from vitrina.backends import register

__all__ = ["TelegramChannel"]

DEFAULT_HOST = "api.telegram.org"
TIMEOUT_S = 10.0


@register("alerts", "telegram")
class TelegramChannel(AlertChannel):
    """Sends the alert's text to one chat."""

    name = "telegram"

    def _target(self) -> tuple[str, str, str]:
        parts = urlsplit(self.url)
        query = parse_qs(parts.query)
        tls = query.get("tls", ["true"])[0].lower() not in ("false", "0", "no")
        host = parts.hostname or DEFAULT_HOST
        if parts.port:
            host = f"{host}:{parts.port}"
        base = f"{'https' if tls else 'http'}://{host}"
        chat_id = unquote(parts.path.strip("/"))
        token = ""
        if parts.username:
            token = unquote(parts.username)
            if parts.password:
                token += ":" + unquote(parts.password)
        return base, chat_id, token or self.credentials.get("telegram_token")

    def secrets(self) -> list[str]:
        token = self._target()[2]
        return [*super().secrets(), *([token] if token else [])]

    def _send(self, alert: Alert) -> bool:
        base, chat_id, token = self._target()
        if not token:
            return self.warn(
                "no bot token (the alerts URL's user:password, the Airflow connection "
                "vitrina_telegram's password, or TELEGRAM_BOT_TOKEN)"
            )
        if not chat_id:
            return self.warn("no chat id (telegram://HOST/CHAT_ID)")
        body = json.dumps({"chat_id": chat_id, "text": alert.text()}).encode()
        request = urllib.request.Request(
            f"{base}/bot{token}/sendMessage",
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            answer = json.loads(response.read() or b"{}")
        if not answer.get("ok", False):
            return self.warn(f"the API answered {answer.get('description', answer)!r}")
        return True
