"""``vitrina graph``: social graph metrics from the warehouse into its ``graph`` schema."""

from __future__ import annotations

import typer

from vitrina.cli.app import app, err_console, settings_from
from vitrina.cli.progress import summary_table


@app.command()
def graph(ctx: typer.Context) -> None:
    """Compute PageRank, reach 1/2/3 and the friendship depth of the social graph.

    Reads the clean social tables, runs the profile's graph backend and replaces the
    warehouse tables graph.user_metrics, graph.depth and graph.summary (run before transform).
    """
    from vitrina.pipelines import graph as graph_job

    settings = settings_from(ctx)
    with err_console.status("graph metrics"):
        report = graph_job.run(settings)
    err_console.print(summary_table("vitrina graph", report.rows()))
