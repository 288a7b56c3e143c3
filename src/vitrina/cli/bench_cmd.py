"""``vitrina bench``: measured figures for the hot paths; the last line is one JSON object."""

from __future__ import annotations

from typing import Annotated

import orjson
import typer

from vitrina.cli.app import app, err_console
from vitrina.errors import UsageError

bench_app = typer.Typer(
    help="Benchmarks: the last line printed is one JSON object with the figures.",
    no_args_is_help=True,
)
app.add_typer(bench_app, name="bench")


def emit(result: dict[str, object]) -> None:
    """Print the figures as the last line of output (stdout), one JSON object."""
    print(orjson.dumps(result).decode(), flush=True)


@bench_app.command("generate")
def generate(
    events: Annotated[
        int | None,
        typer.Option(
            min=1000,
            help="Events to generate (shop: 200,000 per generator; social: 4,000,000 simulated).",
        ),
    ] = None,
    repeat: Annotated[int, typer.Option(min=1, help="Best of N for the vectorised generator.")] = 3,
    domain: Annotated[str, typer.Option(help="shop (click events) or social.")] = "shop",
    scale: Annotated[str, typer.Option(help="Social world size (a scale preset).")] = "classic",
    faker_events: Annotated[
        int, typer.Option(min=1000, help="Social: records for Faker (same mix of events).")
    ] = 200_000,
) -> None:
    """Vectorised generation vs a Faker-per-record generator, same events, same run."""
    from vitrina.bench.generate import require_faker, run_generate_bench

    if domain not in ("shop", "social"):
        raise UsageError(f"unknown domain {domain!r}: use shop or social")
    require_faker()
    if domain == "social":
        from vitrina.bench.generate_social import run_social_generate_bench
        from vitrina.simulate.presets import SOCIAL_PRESETS

        if scale not in SOCIAL_PRESETS:
            raise UsageError(f"unknown scale {scale!r}: use {', '.join(SOCIAL_PRESETS)}")
        n = events or 4_000_000
        err_console.print(
            f"simulating {n:,} social events ({scale}), then {faker_events:,} with Faker per record..."
        )
        emit(
            run_social_generate_bench(
                events=n, repeat=repeat, scale=scale, faker_events=faker_events
            )
        )
        return
    n = events or 200_000
    err_console.print(f"generating {n:,} click events twice (vectorised, then Faker per record)...")
    emit(run_generate_bench(events=n, repeat=repeat))


@bench_app.command("window")
def window(
    events: Annotated[int, typer.Option(min=1000, help="Events for the engine.")] = 20_000_000,
    dict_events: Annotated[
        int, typer.Option(min=1000, help="Events for the per-event dict version.")
    ] = 1_000_000,
    products: Annotated[int, typer.Option(min=1, help="Distinct products (Zipf).")] = 10_000,
    rate: Annotated[int, typer.Option(min=1, help="Events per second of event time.")] = 100_000,
    repeat: Annotated[int, typer.Option(min=1, help="Best of N for the engine.")] = 3,
    kafka: Annotated[
        str, typer.Option(help="kafka://host:port for the Kafka figures, 'auto' or 'none'.")
    ] = "auto",
    kafka_events: Annotated[
        int, typer.Option(min=1000, help="Events through Kafka end to end.")
    ] = 1_000_000,
    quix_events: Annotated[int, typer.Option(min=1000, help="Events through Quix.")] = 200_000,
    stream_events: Annotated[
        int, typer.Option(min=0, help="Events for the memory run (0 skips it).")
    ] = 100_000_000,
) -> None:
    """Window engine vs a per-event dict loop (same data, same run), Quix and Kafka end to end."""
    from vitrina.bench.window import resolve_kafka, run_window_bench

    url = resolve_kafka(kafka)
    err_console.print(f"windowing {events:,} events; dict loop {dict_events:,}; kafka {url}")
    emit(
        run_window_bench(
            events=events,
            dict_events=dict_events,
            products=products,
            rate_per_s=rate,
            repeat=repeat,
            kafka=url,
            kafka_events=kafka_events,
            quix_events=quix_events,
            stream_events=stream_events,
        )
    )


@bench_app.command("pipeline")
def pipeline(
    ctx: typer.Context,
    scale: Annotated[
        str, typer.Option(help="Scale preset (tiny, classic, medium, large, xlarge).")
    ],
    start: Annotated[
        str, typer.Option(help="Start of live activity (fixed, so runs compare).")
    ] = "2026-01-01T00:00:00Z",
    seed: Annotated[int | None, typer.Option(help="Random seed (default: the profile's).")] = None,
    work_dir: Annotated[
        str | None,
        typer.Option(help="Folder for the data, emptied first (default: a temporary one)."),
    ] = None,
) -> None:
    """Every step of `vitrina run` in a fresh process (seconds, records/s, peak RSS) and a DuckDB load."""
    from pathlib import Path

    from vitrina.bench.pipeline import run_pipeline_bench
    from vitrina.simulate.presets import PRESETS

    if scale not in PRESETS:
        raise UsageError(f"unknown scale {scale!r}: use {', '.join(PRESETS)}")

    def on_step(name: str, figures: dict[str, object]) -> None:
        records = f", {figures['records']} records" if figures["records"] is not None else ""
        err_console.print(
            f"{name}: {figures['seconds']:.2f} s{records}, peak {figures['peak_rss_mb']} MB",
            markup=False,
        )

    err_console.print(f"vitrina run --scale {scale}, one fresh process per step...")
    root = ctx.find_root().obj or {}
    emit(
        run_pipeline_bench(
            scale=scale,
            start=start,
            seed=seed,
            work_dir=Path(work_dir) if work_dir else None,
            profile=root.get("profile"),
            config=root.get("config"),
            on_step=on_step,
        )
    )


@bench_app.command("graph")
def graph(
    ctx: typer.Context,
    users: Annotated[int, typer.Option(min=100, help="Users of the generated graph.")] = 200_000,
    friendships: Annotated[int, typer.Option(min=1, help="Distinct friendships.")] = 2_000_000,
    follows: Annotated[int, typer.Option(min=0, help="Distinct follows.")] = 1_000_000,
    seed: Annotated[int, typer.Option(help="Seed of the graph and of the depth sample.")] = 0,
    sample_sources: Annotated[
        int, typer.Option(min=1, help="Depth sample size above 50,000 users.")
    ] = 1_000,
    neo4j: Annotated[
        bool, typer.Option(help="Also run the step on the profile's Neo4j (stack profile).")
    ] = False,
    neo4j_users: Annotated[
        int, typer.Option(min=10, help="Users of the sub-graph Neo4j runs on.")
    ] = 10_000,
) -> None:
    """The graph step (load, PageRank, reach 1/2/3, depth) in process vs networkx, same graph."""
    from vitrina.bench.extras import require
    from vitrina.bench.graph import run_graph_bench

    require("networkx", "bench", "bench graph")
    url = None
    if neo4j:
        from vitrina.backends import scheme_of
        from vitrina.cli.app import settings_from

        url = settings_from(ctx).backend("graph")
        if scheme_of(url) not in ("bolt", "neo4j"):
            raise UsageError(f"--neo4j needs a bolt:// graph store (profile has {url})")
    if friendships > users * (users - 1) // 2:
        raise UsageError(f"{friendships:,} friendships do not fit among {users:,} users")
    if follows > users * (users - 1):
        raise UsageError(f"{follows:,} follows do not fit among {users:,} users")
    emit(
        run_graph_bench(
            users=users,
            friendships=friendships,
            follows=follows,
            seed=seed,
            sample_sources=sample_sources,
            neo4j=url,
            neo4j_users=neo4j_users,
            on_phase=lambda text: err_console.print(text, markup=False),
        )
    )


@bench_app.command("replicate")
def replicate(
    ctx: typer.Context,
    scale: Annotated[str, typer.Option(help="Size of the simulated shop (a preset).")] = "medium",
    fraction: Annotated[
        float, typer.Option(help="Share of every table's rows changed for the incremental run.")
    ] = 0.01,
    seed: Annotated[int, typer.Option(help="Seed of the simulated shop.")] = 7,
    engine: Annotated[
        str, typer.Option(help="python, spark, or both (the python half alone skips the cluster).")
    ] = "both",
) -> None:
    """Replication PostgreSQL -> MariaDB: full copy rows/s and incremental seconds, both engines.

    Runs in scratch databases on the profile's source and replica servers (stack profile) and
    on its Spark cluster (backends.spark, only when the spark engine runs); they are dropped
    afterwards.
    """
    from vitrina.bench.replicate import run_replicate_bench
    from vitrina.cli.app import settings_from
    from vitrina.replicate import ENGINES
    from vitrina.simulate.presets import PRESETS

    if scale not in PRESETS:
        raise UsageError(f"--scale must be one of {', '.join(PRESETS)}, not {scale!r}")
    settings = settings_from(ctx)
    source, replica = settings.backend("source"), settings.backend("replica")
    if not source.startswith(("postgresql", "postgres")) or not replica.startswith("mysql://"):
        raise UsageError("bench replicate needs a postgresql:// source and a mysql:// replica")
    emit(
        run_replicate_bench(
            source,
            replica,
            settings.backend("spark"),
            scale=scale,
            seed=seed,
            fraction=fraction,
            engines=ENGINES if engine == "both" else (engine,),
            on_phase=lambda text: err_console.print(text, markup=False),
        )
    )
