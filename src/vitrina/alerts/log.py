"""The ``log://`` channel: alerts as log lines (the local profile's default)."""

from __future__ import annotations

import logging

from vitrina.alerts.base import AlertChannel
from vitrina.alerts.message import Alert, redact
from vitrina.backends import register

__all__ = ["LogChannel"]

log = logging.getLogger("vitrina.alerts")


@register("alerts", "log")
class LogChannel(AlertChannel):
    """Writes each alert to the ``vitrina.alerts`` logger: failures as errors."""

    name = "log"

    def _send(self, alert: Alert) -> bool:
        level = logging.ERROR if alert.kind == "failure" else logging.INFO
        log.log(level, "%s", redact(alert.text(), self.secrets()))
        return True
