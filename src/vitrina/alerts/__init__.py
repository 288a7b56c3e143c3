"""Alerts: one small interface, a leaf per channel (log, Telegram, e-mail), chosen by URL scheme.

The channels are backends of the ``alerts`` role in :mod:`vitrina.backends` (so the profile's
scheme is checked when it loads, and a channel's module is imported only when it is opened).

``backends.alerts`` names one URL or several separated by commas (a Telegram chat *and* a
mailbox). Sending never raises: a channel that cannot send (no credentials, server down) logs
one warning and the task it reports on goes on. Secret values never reach a log line or a
message: they are replaced by ``***``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping

from vitrina.alerts.base import AlertChannel, Credentials
from vitrina.alerts.message import Alert, error_tail, redact
from vitrina.backends import factory, schemes
from vitrina.errors import UsageError

__all__ = [
    "CREDENTIAL_ENV",
    "Alert",
    "AlertChannel",
    "Credentials",
    "credentials_from_env",
    "error_tail",
    "open_channels",
    "redact",
    "send",
]

log = logging.getLogger("vitrina.alerts")

# A comma starts the next URL only before a scheme: ``smtp://h?to=a@x,b@y`` stays one URL.
_URL_SEPARATOR = re.compile(r",(?=\s*[A-Za-z][A-Za-z0-9+.-]*://)")

# Environment variables holding the channels' secrets, by credential name.
CREDENTIAL_ENV = {"telegram_token": "TELEGRAM_BOT_TOKEN", "smtp_password": "SMTP_PASSWORD"}


def credentials_from_env(environ: Mapping[str, str]) -> Credentials:
    """The secrets the given environment holds (the entry point passes ``os.environ``)."""
    return Credentials({k: environ[v] for k, v in CREDENTIAL_ENV.items() if environ.get(v)})


def open_channels(urls: str, credentials: Credentials | None = None) -> list[AlertChannel]:
    """One channel per URL of the comma-separated ``urls``; an unknown scheme is a UsageError."""
    channels = []
    for url in (u.strip() for u in _URL_SEPARATOR.split(urls)):
        if not url:
            continue
        scheme = url.partition("://")[0].lower()
        known = schemes("alerts")
        if scheme not in known:
            allowed = ", ".join(f"{s}://" for s in known)
            raise UsageError(f"alerts URL scheme {scheme!r} unsupported (allowed: {allowed})")
        make: Callable[[str, Credentials], AlertChannel] = factory("alerts", url)
        channels.append(make(url, credentials or Credentials()))
    return channels


def send(alert: Alert, channels: list[AlertChannel]) -> int:
    """Send ``alert`` on every channel; the number that delivered it.

    Every channel's secrets are taken out first, so no channel can carry another's token.
    """
    alert = alert.redacted(s for channel in channels for s in channel.secrets())
    return sum(channel.send(alert) for channel in channels)
