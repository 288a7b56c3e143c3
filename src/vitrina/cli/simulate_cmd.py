"""``vitrina simulate``: the shop and clickstream simulator."""

from __future__ import annotations

from typing import Annotated

import typer

from vitrina.cli.app import app, err_console, settings_from
from vitrina.cli.progress import progress_bar, summary_table
from vitrina.pipelines import simulate as simulate_job
from vitrina.pipelines.interval import default_interval


@app.command()
def simulate(
    ctx: typer.Context,
    domain: Annotated[
        str, typer.Option(help="shop, clickstream, social, or all (every domain).")
    ] = "all",
    seed: Annotated[
        int | None, typer.Option(help="Random seed: same seed and parameters, same bytes.")
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            help="Start of the simulated interval (ISO-8601), or 'now': at speed 0 the "
            "interval then ends now, a live run (--speed > 0) starts now."
        ),
    ] = None,
    duration: Annotated[str | None, typer.Option(help="Simulated time, e.g. 1h, 1d.")] = None,
    speed: Annotated[
        float | None,
        typer.Option(help="1 = real time, 60 = a minute per second; 0 = as fast as possible."),
    ] = None,
    scale: Annotated[
        str | None, typer.Option(help="Scale preset: tiny, classic, medium, large, xlarge.")
    ] = None,
    faults: Annotated[
        bool,
        typer.Option(
            "--faults", help="Inject duplicates, late events, malformed JSON, violations."
        ),
    ] = False,
    to: Annotated[
        str | None,
        typer.Option(help="Event log URL (file://, s3://, kafka://); default: the profile's."),
    ] = None,
    slice_: Annotated[
        str | None, typer.Option("--slice", help="Time slice per event-log file, e.g. 1h, 1m.")
    ] = None,
) -> None:
    """Generate the shop's history and live activity into the event log and the OLTP source."""
    settings = settings_from(
        ctx,
        simulate={
            "seed": seed,
            "start": start,
            "duration": duration,
            "speed": speed,
            "scale": scale,
            "slice": slice_,
        },
        faults={"enabled": True if faults else None},
    )
    interval = default_interval(settings)
    simulate_job.params_from_settings(settings, domain, interval)  # validate before writing
    with progress_bar("simulating hours") as update:
        report = simulate_job.run(settings, interval, domain=domain, to=to, on_progress=update)
    rows = report.rows() + [(k, v) for k, v in report.outputs.items()]
    err_console.print(summary_table("vitrina simulate", rows))
