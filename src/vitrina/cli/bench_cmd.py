"""``vitrina bench``: measured figures for the hot paths; the last line is one JSON object."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer

from vitrina.cli.app import app, err_console

bench_app = typer.Typer(help="Benchmarks: the last line printed is one JSON object with the figures.",
                        no_args_is_help=True)
app.add_typer(bench_app, name="bench")


def emit(result: dict[str, object]) -> None:
    """Print the figures as the last line of output (stdout), one JSON object."""
    print(orjson.dumps(result).decode(), flush=True)


@bench_app.command("generate")
def generate(
    events: Annotated[int, typer.Option(min=1000, help="Events per generator (both generate the same number).")] = 200_000,
    repeat: Annotated[int, typer.Option(min=1, help="Best of N for the vectorised generator.")] = 3,
) -> None:
    """Vectorised click generation vs a Faker-per-record generator, same events, same run."""
    from benchmarks.generate import run_generate_bench

    err_console.print(f"generating {events:,} click events twice (vectorised, then Faker per record)...")
    emit(run_generate_bench(events=events, repeat=repeat))
