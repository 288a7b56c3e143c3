"""``vitrina users-stream``: registrations from the event log into the source's users."""

from __future__ import annotations

from typing import Annotated

import typer

from vitrina.cli.app import app, err_console, settings_from
from vitrina.cli.progress import summary_table
from vitrina.errors import UsageError


@app.command("users-stream")
def users_stream(
    ctx: typer.Context,
    engine: Annotated[
        str,
        typer.Option(help="python (one pass in process) or spark (Structured Streaming)."),
    ] = "python",
    master: Annotated[
        str | None,
        typer.Option(
            help="Spark master for --engine spark (default: the profile's backends.spark)."
        ),
    ] = None,
    available_now: Annotated[
        bool,
        typer.Option(
            "--available-now/--continuous",
            help="spark: stop once every registration is applied, or keep streaming.",
        ),
    ] = True,
    max_per_batch: Annotated[
        int | None,
        typer.Option(min=1, help="spark: at most this many records per micro-batch (10000)."),
    ] = None,
) -> None:
    """Upsert new registrations into the source's users (latest per user wins); bad ones to the DLQ.

    Exactly once: the python engine commits its Kafka position after the upsert, the spark
    engine keeps its position in a checkpoint under <data_dir>/checkpoints; a re-read changes
    nothing.
    """
    from vitrina.pipelines import users_stream as job

    if engine not in job.ENGINES:
        raise UsageError(f"--engine must be one of {', '.join(job.ENGINES)}, not {engine!r}")
    if engine != "spark" and (master is not None or max_per_batch is not None):
        raise UsageError("--master and --max-per-batch apply to --engine spark only")
    if engine != "spark" and not available_now:
        raise UsageError("--continuous applies to --engine spark only")
    settings = settings_from(ctx)
    with err_console.status(f"users stream ({engine})"):
        report = job.run(
            settings,
            engine=engine,
            master=master,
            available_now=available_now,
            max_per_batch=max_per_batch,
        )
    err_console.print(summary_table("vitrina users-stream", report.rows()))
