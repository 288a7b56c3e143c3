"""When each pipeline step last ran and how it ended: one small JSON file per step.

``<data dir>/status/<step>.json`` holds ``{"step", "status": "running"|"ok"|"failed",
"started_at_ms", "finished_at_ms", "detail"}``, replaced atomically when the step starts and
when it ends, so a later step can tell whether its inputs are current (publish refuses marts
older than the last ingest, or left by a failed or interrupted transform). Bad usage records
nothing: it changed nothing.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

import orjson

from vitrina.atomicio import write_atomic
from vitrina.errors import UsageError

if TYPE_CHECKING:
    from vitrina.config import Settings

__all__ = ["StepStatus", "read_status", "record_status", "records_status", "status_path"]

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class StepStatus:
    """The outcome of the last run of one step."""

    step: str
    status: str  # running (or killed while running) | ok | failed
    started_at_ms: int
    finished_at_ms: int
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def last_change_ms(self) -> int:
        """The latest instant the step may have changed its outputs."""
        return self.started_at_ms if self.status == "running" else self.finished_at_ms


def status_path(data_dir: Path, step: str) -> Path:
    return data_dir.absolute() / "status" / f"{step}.json"


def record_status(data_dir: Path, status: StepStatus) -> None:
    """Write ``status`` for its step; a failure to write is logged, never raised (the step's
    own outcome matters more than its record)."""
    try:
        write_atomic(status_path(data_dir, status.step), orjson.dumps(asdict(status)) + b"\n")
    except OSError as exc:
        log.warning("cannot record the status of %s: %s", status.step, exc)


def read_status(data_dir: Path, step: str) -> StepStatus | None:
    """The last recorded run of ``step``, or None when it never ran (or its record is unreadable)."""
    try:
        raw = orjson.loads(status_path(data_dir, step).read_bytes())
        return StepStatus(
            step=str(raw["step"]),
            status=str(raw["status"]),
            started_at_ms=int(raw["started_at_ms"]),
            finished_at_ms=int(raw["finished_at_ms"]),
            detail=str(raw.get("detail", "")),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("unreadable status of %s: %s", step, exc)
        return None


def _restore(data_dir: Path, step: str, before: StepStatus | None) -> None:
    if before is not None:
        record_status(data_dir, before)
    else:
        status_path(data_dir, step).unlink(missing_ok=True)


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def records_status(
    step: str,
) -> Callable[[Callable[Concatenate[Settings, P], R]], Callable[Concatenate[Settings, P], R]]:
    """Decorate a step function ``f(settings, ...)`` so each call records how it ended."""

    def decorate(
        fn: Callable[Concatenate[Settings, P], R],
    ) -> Callable[Concatenate[Settings, P], R]:
        @functools.wraps(fn)
        def wrapper(settings: Settings, /, *args: P.args, **kwargs: P.kwargs) -> R:
            data_dir = settings.data_dir
            before = read_status(data_dir, step)
            started = _now_ms()
            # Marked first, so a run killed midway still reads as one that may have changed
            # the step's outputs.
            record_status(data_dir, StepStatus(step, "running", started, started))
            try:
                result = fn(settings, *args, **kwargs)
            except UsageError:
                _restore(data_dir, step, before)  # refused before doing anything
                raise
            except BaseException as exc:
                text = str(exc).strip().splitlines()
                detail = text[0] if text else type(exc).__name__
                record_status(data_dir, StepStatus(step, "failed", started, _now_ms(), detail))
                raise
            record_status(data_dir, StepStatus(step, "ok", started, _now_ms()))
            return result

        return wrapper

    return decorate
