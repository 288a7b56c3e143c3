"""``vitrina replicate``: the OLTP source's changes into the replica (python or spark engine)."""

from __future__ import annotations

from typing import Annotated

import typer

from vitrina.cli.app import app, err_console, settings_from
from vitrina.cli.progress import summary_table
from vitrina.errors import UsageError
from vitrina.replicate import ENGINES


@app.command()
def replicate(
    ctx: typer.Context,
    engine: Annotated[
        str, typer.Option(help="python (Arrow batches, bulk inserts) or spark (the cluster).")
    ] = "python",
    master: Annotated[
        str | None,
        typer.Option(help="Spark master for --engine spark (default: backends.spark)."),
    ] = None,
) -> None:
    """Copy what changed in the source (rows by updated_at, deletions) into the replica.

    Incremental and idempotent: per-table high-water marks live in the replica, written in
    the same transaction as the rows; a run killed at any moment is finished by the next.
    """
    if engine not in ENGINES:
        raise UsageError(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if master is not None and engine != "spark":
        raise UsageError("--master applies to --engine spark only")
    from vitrina.pipelines import replicate as replicate_job

    settings = settings_from(ctx)
    with err_console.status(f"replicating ({engine})"):
        report = replicate_job.run(settings, engine=engine, master=master)
    err_console.print(summary_table("vitrina replicate", report.rows()))
