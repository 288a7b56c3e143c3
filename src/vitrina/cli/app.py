"""The Typer application, global options, and the one-line error contract (exit 2 on bad usage)."""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from vitrina.config import Settings, load_settings

try:  # typer >= 0.25 vendors its own copy of click
    from typer._click import core as click_core
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover
    from click import core as click_core  # type: ignore[no-redef]
    from click import exceptions as click_exc  # type: ignore[no-redef]
from vitrina.errors import UsageError, VitrinaError
from vitrina.redact import RedactingFilter, mask_text

__all__ = ["app", "err_console", "main", "out_console", "settings_from"]

app = typer.Typer(
    name="vitrina",
    help="Analytics data platform for an online shop with a social network.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
out_console = Console(soft_wrap=True)
err_console = Console(stderr=True)

# Options that may stand anywhere on the line; main() moves them before the sub-command.
_GLOBAL_VALUE_OPTIONS = ("--data-dir", "--config", "--profile")
_GLOBAL_FLAGS = ("-v", "--verbose")

# Shown under every sub-command's --help, which otherwise lists only its own options.
GLOBAL_OPTIONS_HELP = (
    "Global options, before or after the command: --data-dir DIR (default ./data), "
    "--config FILE (or VITRINA_CONFIG), --profile local|stack, -v/--verbose. "
    "Data goes to stdout; progress and summaries to stderr. "
    "Exit codes: 0 ok, 1 failure, 2 bad usage."
)

# Each module registers its commands on `app` when imported.
_COMMAND_MODULES = (
    "vitrina.cli.config_cmd",
    "vitrina.cli.contracts_cmd",
    "vitrina.cli.simulate_cmd",
    "vitrina.cli.run_cmd",
    "vitrina.cli.bench_cmd",
    "vitrina.cli.ingest_cmd",
    "vitrina.cli.graph_cmd",
    "vitrina.cli.transform_cmd",
    "vitrina.cli.query_cmd",
    "vitrina.cli.publish_cmd",
    "vitrina.cli.replicate_cmd",
    "vitrina.cli.users_stream_cmd",
    "vitrina.cli.stream_cmd",
    "vitrina.cli.airflow_cmd",
)


@app.callback()
def _global(
    ctx: typer.Context,
    # Text, not a Path: Path("") would turn an empty --data-dir into the current directory.
    data_dir: Annotated[
        str | None, typer.Option(help="Where local data lives (default ./data).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="Path to vitrina.toml (or VITRINA_CONFIG).")
    ] = None,
    profile: Annotated[
        str | None, typer.Option(help="Profile: local (embedded) or stack (services).")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log debug output.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for handler in logging.getLogger().handlers:  # no log line prints a password
        handler.addFilter(RedactingFilter())
    ctx.obj = {"data_dir": data_dir, "config": config, "profile": profile}


def settings_from(ctx: typer.Context, **overrides: dict[str, Any]) -> Settings:
    """Resolve the profile for a command from the global options and per-section overrides."""
    root = ctx.find_root().obj or {}
    return load_settings(
        config=root.get("config"),
        profile=root.get("profile"),
        data_dir=root.get("data_dir"),
        overrides=overrides,
    )


def _hoist_global_options(argv: list[str]) -> list[str]:
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        name = arg.split("=", 1)[0]
        if arg in _GLOBAL_FLAGS:
            front.append(arg)
        elif name in _GLOBAL_VALUE_OPTIONS:
            if "=" in arg:
                front.append(arg)
            elif i + 1 < len(argv):
                front += [arg, argv[i + 1]]
                i += 1
            else:
                rest.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def _load_commands() -> None:
    for name in _COMMAND_MODULES:
        importlib.import_module(name)


def _add_global_help(command: click_core.Command) -> None:
    """Put the global options under the --help of every sub-command, at every depth."""
    if command.epilog is None:
        command.epilog = GLOBAL_OPTIONS_HELP
    for sub in getattr(command, "commands", {}).values():
        _add_global_help(sub)


# The pip extra installing a third-party module that a command imports only when it needs it.
_EXTRA_OF = {
    "pyspark": "spark",
    "confluent_kafka": "kafka",
    "psycopg": "postgres",
    "adbc_driver_postgresql": "postgres",
    "pymysql": "mysql",
    "redis": "redis",
    "neo4j": "neo4j",
    "s3fs": "s3",
    "boto3": "s3",
    "dbt": "dbt",
    "igraph": "graph",
    "scipy": "graph",
    "faker": "bench",
    "quixstreams": "bench",
    "psutil": "bench",
    "networkx": "bench",
}


def missing_package(exc: ModuleNotFoundError) -> str | None:
    """One line for a third-party package that is not installed (None: vitrina's own bug)."""
    top = (exc.name or "").split(".")[0]
    if not top or top == "vitrina":
        return None
    extra = _EXTRA_OF.get(top)
    how = f"pip install 'vitrina[{extra}]'" if extra else f"install the package {top}"
    return f"this command needs the Python package {top}, which is not installed: {how}"


def main(argv: list[str] | None = None) -> int:
    """Entry point: runs the app; bad usage prints one line and exits 2, never a traceback."""
    _load_commands()
    args = _hoist_global_options(list(sys.argv[1:] if argv is None else argv))
    command = typer.main.get_command(app)
    _add_global_help(command)
    try:
        # Without standalone mode click returns the code of a `typer.Exit(n)` instead of raising.
        returned = command.main(args=args, prog_name="vitrina", standalone_mode=False)
    except click_exc.NoArgsIsHelpError as exc:
        # click >= 8.2 raises this for a bare group; show help, not an error.
        err_console.print(exc.ctx.get_help() if exc.ctx else "", markup=False, highlight=False)
        return 2
    except click_exc.UsageError as exc:
        print(f"vitrina: error: {mask_text(exc.format_message())}", file=sys.stderr)
        return 2
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        print("vitrina: aborted", file=sys.stderr)
        return 130
    except UsageError as exc:
        print(f"vitrina: error: {mask_text(str(exc))}", file=sys.stderr)
        return 2
    except VitrinaError as exc:
        print(f"vitrina: failed: {mask_text(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except ModuleNotFoundError as exc:
        line = missing_package(exc)
        if line is None:
            raise
        print(f"vitrina: error: {line}", file=sys.stderr)
        return 2
    return returned if isinstance(returned, int) and not isinstance(returned, bool) else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
