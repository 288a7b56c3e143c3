"""``vitrina run``: the main job end to end, with a summary of what it produced."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from vitrina.cli.app import app, err_console, settings_from
from vitrina.cli.query_cmd import _rich_table, run_query
from vitrina.config import Settings
from vitrina.contracts.registry import pipeline_domains
from vitrina.errors import VitrinaError
from vitrina.pipelines import run as run_job
from vitrina.pipelines.interval import default_interval
from vitrina.pipelines.run import RunReport
from vitrina.pipelines.simulate import params_from_settings

# The marts a person looks at first after a run.
_HEADLINES = (
    (
        "top products",
        "select t.rank, t.product_id, t.clicks_5m, t.units_ordered, t.score "
        "from top_products t order by t.rank",
    ),
    (
        "average check by status and loyalty",
        "select status, loyalty_status, average_check, order_count "
        "from mart_average_check order by status, loyalty_status",
    ),
)


def _steps_table(settings: Settings, report: RunReport) -> Table:
    table = Table(title=f"vitrina run — profile {settings.profile}, data in {settings.data_dir}")
    table.add_column("step")
    table.add_column("time", justify="right")
    table.add_column("figures")
    if report.interval is not None:
        table.add_row(Text("interval"), "", Text(str(report.interval)))
    for name, result, seconds in report.steps:
        figures = "\n".join(f"{k}: {v}" for k, v in result.rows())
        table.add_row(Text(name), f"{seconds:.2f} s", Text(figures))
    table.add_row(Text("total"), f"{report.elapsed_s:.2f} s", "")
    return table


@app.command()
def run(
    ctx: typer.Context,
    profile: Annotated[
        str | None, typer.Option(help="local (embedded, default) or stack (services).")
    ] = None,
    scale: Annotated[str | None, typer.Option(help="Scale preset (default classic).")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed.")] = None,
    duration: Annotated[str | None, typer.Option(help="Simulated time (default 1d).")] = None,
    start: Annotated[
        str | None,
        typer.Option(help="Start of the simulated interval (default now: the interval ends now)."),
    ] = None,
    faults: Annotated[
        bool, typer.Option("--faults", help="Inject faults into the simulated data.")
    ] = False,
    domain: Annotated[
        str,
        typer.Option(
            help="shop (with its clickstream), social, or all: what is simulated and ingested."
        ),
    ] = "all",
    engine: Annotated[
        str,
        typer.Option(
            help="python (default) or spark: also replicate and build the e-commerce marts "
            "on the Spark cluster (stack profile)."
        ),
    ] = "python",
) -> None:
    """Run the whole pipeline: simulate -> stream -> ingest -> transform -> publish.

    With --engine spark (stack profile) then replicate -> spark_marts on the cluster.
    """
    if profile is not None:
        ctx.find_root().obj["profile"] = profile
    settings = settings_from(
        ctx,
        simulate={"seed": seed, "scale": scale, "duration": duration, "start": start},
        faults={"enabled": True if faults else None},
    )
    interval = default_interval(settings)
    # validate before anything is written
    run_job.check_engine(settings, engine)
    params_from_settings(settings, ",".join(pipeline_domains(domain)), interval)

    def on_step(name: str) -> None:
        err_console.print(f"▶ {name}", markup=False)

    report = run_job.run(settings, interval, on_step=on_step, domain=domain, engine=engine)
    # The whole report is a summary of what the run did: stderr, like every command's summary.
    err_console.print(_steps_table(settings, report))
    for title, sql in _HEADLINES:
        try:
            rows = run_query(settings, "marts", sql)
        except VitrinaError as exc:  # a summary must not turn a good run into a failure
            err_console.print(f"(no {title}: {exc})", markup=False)
            continue
        table = _rich_table(rows)
        table.title = title
        err_console.print(table)
