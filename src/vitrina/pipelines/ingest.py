"""The ingest job: validate, clean and load one interval (or what is pending) into the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from vitrina.config import Settings
from vitrina.pipelines.interval import Interval

if TYPE_CHECKING:
    from vitrina.ingest.run import IngestReport

__all__ = ["run"]


def run(
    settings: Settings,
    interval: Interval | None = None,
    *,
    from_dir: Path | None = None,
    domain: str = "all",
) -> IngestReport:
    """Ingest the event-log slices of ``interval`` and the OLTP source, or a user's folder.

    Without an interval, the slices the ingest consumer has not processed yet are read; with
    one, every slice of it is re-read (re-running changes nothing). ``from_dir`` reads whole
    files instead and takes no interval. ``domain``: ``all``, or one domain's entities only.
    """
    from vitrina.ingest.run import run_ingest

    if interval is None:
        return run_ingest(settings, from_dir=from_dir, domain=domain)
    return run_ingest(
        settings,
        start_ms=interval.start_ms,
        end_ms=interval.end_ms,
        from_dir=from_dir,
        domain=domain,
    )
