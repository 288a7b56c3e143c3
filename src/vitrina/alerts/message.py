"""What an alert says: the run it is about, and the text every channel sends."""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from dataclasses import dataclass, replace

from vitrina.redact import mask_text

__all__ = ["Alert", "error_tail", "redact"]

MASK = "***"
# How much of a traceback an alert carries: its end names the failing line and the error.
TAIL_LINES = 10


@dataclass(frozen=True)
class Alert:
    """One alert: ``kind`` is ``failure`` (a task after its last try) or ``success`` (a DAG run)."""

    kind: str
    dag_id: str
    run_id: str
    task_id: str = ""
    try_number: int | None = None
    log_url: str = ""
    error: str = ""

    @property
    def subject(self) -> str:
        what = f"{self.dag_id}.{self.task_id}" if self.task_id else self.dag_id
        verdict = "failed" if self.kind == "failure" else "succeeded"
        return f"[vitrina] {what} {verdict} ({self.run_id})"

    def redacted(self, secrets: Iterable[str]) -> Alert:
        """A copy whose free-text fields hold none of ``secrets`` and no URL password."""
        secrets = list(secrets)
        return replace(
            self, log_url=redact(self.log_url, secrets), error=redact(self.error, secrets)
        )

    def text(self) -> str:
        """The body every channel sends: one ``key: value`` line per field, then the error."""
        lines = [
            self.subject,
            f"dag_id: {self.dag_id}",
            f"task_id: {self.task_id or '-'}",
            f"run_id: {self.run_id}",
            f"try_number: {self.try_number if self.try_number is not None else '-'}",
            f"log_url: {self.log_url or '-'}",
        ]
        if self.error:
            lines += ["", "error (last lines):", self.error]
        return "\n".join(lines)


def error_tail(exc: BaseException | str | None, lines: int = TAIL_LINES) -> str:
    """The last ``lines`` lines of an exception's traceback (or of a text), '' for none."""
    if exc is None:
        return ""
    text = exc if isinstance(exc, str) else "".join(traceback.format_exception(exc))
    return "\n".join(text.rstrip("\n").splitlines()[-lines:])


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` without the given secret values, and with every credential that
    :func:`vitrina.redact.mask_text` finds (URL passwords, ``password=...`` pairs) masked."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return mask_text(text)
