"""``vitrina transform``: ``dbt build`` of the warehouse models and their tests."""

from __future__ import annotations

from typing import Annotated

import typer

from vitrina.cli.app import app, err_console, out_console, settings_from
from vitrina.cli.progress import summary_table


@app.command()
def transform(
    ctx: typer.Context,
    select: Annotated[
        str | None, typer.Option(help="dbt node selection (default: everything).")
    ] = None,
) -> None:
    """Build the dbt models (staging -> intermediate -> marts) and run their tests."""
    settings = settings_from(ctx)
    from vitrina.warehouse.transform import run_transform

    with err_console.status("dbt build"):
        report = run_transform(settings, select=select)
    out_console.print(summary_table("vitrina transform", report.rows()))
