"""``vitrina ingest``: validate, clean and load the event log and OLTP source (or a folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vitrina.backends import file_path
from vitrina.cli.app import app, err_console, settings_from
from vitrina.cli.progress import summary_table
from vitrina.contracts.registry import pipeline_domains
from vitrina.errors import UsageError
from vitrina.pipelines.interval import Interval
from vitrina.timeutil import END_INSTANT_MS, MIN_INSTANT_MS, parse_instant_ms


def _instant(option: str, value: str) -> int:
    try:
        return parse_instant_ms(value)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from exc


# An open side of --start/--end: the edge of the accepted range of instants.
_OPEN_START_MS, _OPEN_END_MS = MIN_INSTANT_MS, END_INSTANT_MS


def _interval(start: str | None, end: str | None) -> Interval | None:
    if start is None and end is None:
        return None
    start_ms = _OPEN_START_MS if start is None else _instant("--start", start)
    end_ms = _OPEN_END_MS if end is None else _instant("--end", end)
    if start_ms >= end_ms:
        raise UsageError("--start must be before --end")
    return Interval(start_ms, end_ms)


def _folder(value: str | None) -> Path | None:
    if value is None:
        return None
    path = file_path(value)
    if path is None:
        raise UsageError(
            f"--from {value}: give a local folder (DIR/<entity>/*.jsonl|csv|parquet) or file:// URL"
        )
    if not path.is_dir():
        raise UsageError(f"--from {value}: not a directory")
    return path


@app.command()
def ingest(
    ctx: typer.Context,
    domain: Annotated[
        str,
        typer.Option(
            help="shop, clickstream, social, or all: whose topics, source tables and"
            " --from folders are read. With --domain social, DIR/<entity> uses the social"
            " names (friendships/, users/); with all, the social ones are social_<entity>/"
            " where the shop has an entity of that name.",
        ),
    ] = "all",
    from_dir: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="A folder DIR/<entity>/*.jsonl|csv|parquet (or DIR/<entity>.csv ...) that"
            " replaces the source: snapshot entities it lacks or leaves empty are emptied"
            " (in each domain the folder holds an entity of)."
            " Exit 1 when it holds no record. See docs/bring-your-own-data.md.",
        ),
    ] = None,
    start: Annotated[
        str | None, typer.Option(help="Re-read event-log slices from this instant.")
    ] = None,
    end: Annotated[str | None, typer.Option(help="... up to this instant (exclusive).")] = None,
) -> None:
    """Validate, clean and load into the warehouse; bad records go to raw.quarantine."""
    settings = settings_from(ctx)
    pipeline_domains(domain)  # a bad --domain is bad usage before anything is read
    folder = _folder(from_dir)
    interval = _interval(start, end)
    if folder is not None and interval is not None:
        raise UsageError("--from DIR reads whole files: leave out --start/--end")
    from vitrina.pipelines import ingest as ingest_job

    with err_console.status("ingesting"):
        report = ingest_job.run(settings, interval, from_dir=folder, domain=domain)
    err_console.print(summary_table("vitrina ingest", report.rows()))
    if report.emptied:
        err_console.print(
            f"emptied (absent or empty in --from): {', '.join(report.emptied)}",
            markup=False,
            highlight=False,
        )
    for item in report.unused:
        err_console.print(f"not used: {item}", markup=False, highlight=False)
