"""``vitrina airflow up|down|status``: Airflow 3 on 127.0.0.1, as ``make airflow`` starts it.

Both run the same script, ``infra/services/airflow.sh`` of the checkout, so the command needs
one (and its ``.venv-airflow``, from ``make airflow-venv``). ``up`` starts PostgreSQL first
(the metadata database lives there), then the api-server, scheduler, dag-processor and
triggerer, and prints the UI's URL on stdout.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Annotated

import typer

from vitrina.cli.app import GLOBAL_OPTIONS_HELP, app, err_console, out_console, settings_from
from vitrina.errors import PipelineError, UsageError

__all__ = ["airflow_app", "script_env"]

airflow_app = typer.Typer(
    help="Run Airflow 3 natively (api-server, scheduler, dag-processor, triggerer).",
    no_args_is_help=True,
    epilog=GLOBAL_OPTIONS_HELP,
)
app.add_typer(airflow_app, name="airflow")

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "infra" / "services" / "airflow.sh"
SERVICES = ROOT / "infra" / "services.sh"
HOST = "127.0.0.1"
DEFAULT_PORT = 8780

PortOption = Annotated[
    int | None,
    typer.Option(
        help=f"The UI's port on {HOST} (default {DEFAULT_PORT}, or VITRINA_AIRFLOW_PORT)."
    ),
]


def _port(port: int | None) -> int:
    value = port if port is not None else int(os.environ.get("VITRINA_AIRFLOW_PORT", DEFAULT_PORT))
    if not 1 <= value <= 65535:
        raise UsageError(f"--port: {value} is not a TCP port (1-65535)")
    return value


def script_env(ctx: typer.Context, port: int, parallelism: int | None = None) -> dict[str, str]:
    """The environment the script runs with: the port, the venv, the profile chosen here."""
    env = dict(os.environ)
    env["VITRINA_AIRFLOW_PORT"] = str(port)
    env.setdefault("VITRINA_AIRFLOW_VENV", str(ROOT / ".venv-airflow"))
    if parallelism is not None:
        env["VITRINA_AIRFLOW_PARALLELISM"] = str(parallelism)
    settings_from(ctx)  # a bad profile stops here: one line, exit 2, nothing started
    params = ctx.find_root().obj or {}
    if params.get("profile"):
        env["VITRINA_PROFILE"] = str(params["profile"])
    if params.get("config"):
        env["VITRINA_CONFIG"] = str(Path(params["config"]).resolve())
    if params.get("data_dir"):
        env["VITRINA_DATA_DIR"] = str(Path(params["data_dir"]).resolve())
    return env


def _run(
    args: list[str], env: dict[str, str], *, capture: bool = False
) -> subprocess.CompletedProcess[str]:
    if not SCRIPT.exists():
        raise UsageError(f"vitrina airflow needs a vitrina checkout ({SCRIPT} is missing)")
    return subprocess.run(["bash", *args], env=env, text=True, capture_output=capture, check=False)


@airflow_app.command("up")
def up(
    ctx: typer.Context,
    port: PortOption = None,
    parallelism: Annotated[
        int | None,
        typer.Option(min=1, help="Task processes at once (default 2: one per core)."),
    ] = None,
) -> None:
    """Start PostgreSQL (if needed) and Airflow; print the UI's URL."""
    env = script_env(ctx, _port(port), parallelism)
    if _run([str(SERVICES), "up", "postgres"], env).returncode != 0:
        raise PipelineError("airflow: PostgreSQL (its metadata database) did not start")
    if _run([str(SCRIPT), "up"], env).returncode != 0:
        raise PipelineError("airflow: did not start (see the lines above)")
    out_console.print(f"Airflow UI: http://{HOST}:{env['VITRINA_AIRFLOW_PORT']}")


@airflow_app.command("down")
def down(ctx: typer.Context, port: PortOption = None) -> None:
    """Stop the four Airflow processes (PostgreSQL keeps running)."""
    if _run([str(SCRIPT), "down"], script_env(ctx, _port(port))).returncode != 0:
        raise PipelineError("airflow: could not stop every process")


@airflow_app.command("status")
def status(ctx: typer.Context, port: PortOption = None) -> None:
    """One line per process and the UI's URL; exit 1 when a process is down."""
    done = _run([str(SCRIPT), "status"], script_env(ctx, _port(port)), capture=True)
    out_console.print(done.stdout.rstrip("\n"), highlight=False, markup=False)
    if done.returncode != 0:
        err_console.print("airflow: not every process is up", highlight=False)
        raise typer.Exit(1)
