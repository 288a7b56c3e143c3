"""``vitrina ingest``: validate, clean and load the event log and OLTP source (or a folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vitrina.backends import file_path
from vitrina.cli.app import app, err_console, out_console, settings_from
from vitrina.cli.progress import summary_table
from vitrina.errors import UsageError
from vitrina.timeutil import parse_instant_ms


def _instant(option: str, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return parse_instant_ms(value)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from exc


def _folder(value: str | None) -> Path | None:
    if value is None:
        return None
    path = file_path(value)
    if path is None:
        raise UsageError(
            f"--from {value}: give a local folder (DIR/<entity>/*.jsonl) or file:// URL"
        )
    if not path.is_dir():
        raise UsageError(f"--from {value}: not a directory")
    return path


@app.command()
def ingest(
    ctx: typer.Context,
    from_dir: Annotated[
        str | None,
        typer.Option(
            "--from", help="A folder DIR/<entity>/*.jsonl that replaces the simulated source."
        ),
    ] = None,
    start: Annotated[
        str | None, typer.Option(help="Re-read event-log slices from this instant.")
    ] = None,
    end: Annotated[str | None, typer.Option(help="... up to this instant (exclusive).")] = None,
) -> None:
    """Validate, clean and load into the warehouse; bad records go to raw.quarantine."""
    settings = settings_from(ctx)
    folder = _folder(from_dir)
    start_ms, end_ms = _instant("--start", start), _instant("--end", end)
    if start_ms is not None and end_ms is not None and start_ms >= end_ms:
        raise UsageError("--start must be before --end")
    if folder is not None and (start_ms is not None or end_ms is not None):
        raise UsageError("--from DIR reads whole files: leave out --start/--end")
    from vitrina.ingest import run_ingest

    with err_console.status("ingesting"):
        report = run_ingest(settings, start_ms=start_ms, end_ms=end_ms, from_dir=folder)
    out_console.print(summary_table("vitrina ingest", report.rows()))
