"""``vitrina transform``: ``dbt build`` of the warehouse models and their tests."""

from __future__ import annotations

from typing import Annotated

import typer

from vitrina.cli.app import app, err_console, settings_from
from vitrina.cli.progress import summary_table


@app.command()
def transform(
    ctx: typer.Context,
    select: Annotated[
        str | None, typer.Option(help="dbt node selection (default: everything).")
    ] = None,
) -> None:
    """Build the dbt models (staging -> intermediate -> marts) and run their tests."""
    from vitrina.pipelines import transform as transform_job

    settings = settings_from(ctx)
    with err_console.status("dbt build"):
        report = transform_job.run(settings, select=select)
    err_console.print(summary_table("vitrina transform", report.rows()))
