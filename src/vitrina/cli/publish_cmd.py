"""``vitrina publish``: warehouse marts to the marts store, and the serving set."""

from __future__ import annotations

import typer

from vitrina.cli.app import app, err_console, settings_from
from vitrina.cli.progress import summary_table


@app.command()
def publish(ctx: typer.Context) -> None:
    """Publish the dbt marts to the marts store and top products + recommendations to serving."""
    from vitrina.marts.publish import run_publish

    settings = settings_from(ctx)
    with err_console.status("publishing marts and serving data"):
        report = run_publish(settings)
    err_console.print(summary_table(f"vitrina publish ({settings.profile})", report.rows()))
