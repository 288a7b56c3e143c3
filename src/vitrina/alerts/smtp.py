"""The ``smtp://`` channel: an e-mail through an SMTP server (stdlib smtplib).

URL: ``smtp://[USER[:PASSWORD]@]HOST[:PORT]?to=a@x,b@y[&from=vitrina@x][&starttls=true]``
(``smtps://`` for TLS from the start). The password may come from the credentials instead
(an Airflow connection or the environment); a server without login takes no user.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from vitrina.alerts.base import AlertChannel
from vitrina.alerts.message import Alert
from vitrina.backends import register

__all__ = ["SmtpChannel"]

TIMEOUT_S = 10.0
DEFAULT_FROM = "vitrina@localhost"


@register("alerts", "smtp", "smtps")
class SmtpChannel(AlertChannel):
    """Sends the alert as a plain-text e-mail to the URL's recipients."""

    name = "smtp"

    def _password(self) -> str:
        parts = urlsplit(self.url)
        return unquote(parts.password or "") or self.credentials.get("smtp_password")

    def secrets(self) -> list[str]:
        password = self._password()
        return [*super().secrets(), *([password] if password else [])]

    def _send(self, alert: Alert) -> bool:
        parts = urlsplit(self.url)
        query = parse_qs(parts.query)
        recipients = [a for v in query.get("to", []) for a in v.split(",") if a]
        if not parts.hostname:
            return self.warn("no SMTP host (smtp://HOST:PORT?to=...)")
        if not recipients:
            return self.warn("no recipients (smtp://HOST:PORT?to=a@x,b@y)")
        user, password = unquote(parts.username or ""), self._password()
        if user and not password:
            return self.warn(
                f"no password for SMTP user {user!r} (the alerts URL, the Airflow connection "
                "vitrina_smtp's password, or SMTP_PASSWORD)"
            )
        message = EmailMessage()
        message["Subject"] = alert.subject
        message["From"] = query.get("from", [DEFAULT_FROM])[0]
        message["To"] = ", ".join(recipients)
        message.set_content(alert.text())
        tls = parts.scheme == "smtps"
        port = parts.port or (465 if tls else 25)
        smtp_class = smtplib.SMTP_SSL if tls else smtplib.SMTP
        with smtp_class(parts.hostname, port, timeout=TIMEOUT_S) as server:
            if query.get("starttls", ["false"])[0].lower() in ("true", "1", "yes"):
                server.starttls(context=ssl.create_default_context())
            if user:
                server.login(user, password)
            refused = server.send_message(message)
        if refused:
            return self.warn(f"refused recipients: {', '.join(sorted(refused))}")
        return True
