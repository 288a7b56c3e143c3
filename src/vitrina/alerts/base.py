"""The interface every alert channel implements, and what a channel is given to send with."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field

from vitrina.alerts.message import Alert, redact

__all__ = ["AlertChannel", "Credentials"]

log = logging.getLogger("vitrina.alerts")


@dataclass(frozen=True)
class Credentials:
    """Secrets found for the channels, by name (``telegram_token``, ``smtp_password``)."""

    values: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str) -> str:
        return self.values.get(name, "")


class AlertChannel(ABC):
    """One destination. ``send`` never raises: an alert must not fail the task it reports on."""

    name = "alert"

    def __init__(self, url: str, credentials: Credentials | None = None) -> None:
        self.url = url
        self.credentials = credentials or Credentials()

    def secrets(self) -> list[str]:
        """Every secret value this channel knows: they are kept out of logs and messages."""
        return [v for v in self.credentials.values.values() if v]

    def send(self, alert: Alert) -> bool:
        """Deliver ``alert``; False (and a warning in the log) when it could not be."""
        try:
            return self._send(alert.redacted(self.secrets()))
        except Exception as exc:  # any failure of a channel is logged, never raised
            detail = redact(f"{type(exc).__name__}: {exc}", self.secrets())
            log.warning("%s alert not sent: %s", self.name, detail)
            return False

    def warn(self, problem: str) -> bool:
        log.warning("%s alert not sent: %s", self.name, redact(problem, self.secrets()))
        return False

    @abstractmethod
    def _send(self, alert: Alert) -> bool: ...
