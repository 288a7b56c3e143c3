"""``vitrina run``: the main job end to end, with a summary of what it produced."""

from __future__ import annotations

from typing import Annotated

import typer

from vitrina.cli.app import app, err_console, out_console, settings_from
from vitrina.cli.progress import summary_table
from vitrina.pipelines.run import run_all
from vitrina.pipelines.simulate import params_from_settings


@app.command()
def run(
    ctx: typer.Context,
    profile: Annotated[str | None, typer.Option(help="local (embedded, default) or stack (services).")] = None,
    scale: Annotated[str | None, typer.Option(help="Scale preset (default classic).")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed.")] = None,
    duration: Annotated[str | None, typer.Option(help="Simulated time (default 1d).")] = None,
    start: Annotated[str | None, typer.Option(help="Start of live activity (default now).")] = None,
    faults: Annotated[bool, typer.Option("--faults", help="Inject faults into the simulated data.")] = False,
) -> None:
    """Run the whole pipeline: simulate -> stream -> ingest -> transform -> publish."""
    if profile is not None:
        ctx.find_root().obj["profile"] = profile
    settings = settings_from(
        ctx,
        simulate={"seed": seed, "scale": scale, "duration": duration, "start": start},
        faults={"enabled": True if faults else None},
    )
    params_from_settings(settings)  # validate before anything is written

    def on_step(name: str) -> None:
        err_console.print(f"[bold]▶ {name}[/bold]")

    report = run_all(settings, on_step=on_step)
    out_console.print(summary_table(f"vitrina run ({settings.profile}, data in {settings.data_dir})", report.rows()))
