"""``vitrina window`` (the engine over a JSON-lines file) and ``vitrina stream`` (the job)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated

import typer

from vitrina.cli.app import app, err_console, settings_from
from vitrina.errors import UsageError
from vitrina.stream.engine import WindowEngine, WindowSpec
from vitrina.stream.parse import MALFORMED, parse_clicks
from vitrina.stream.records import windows_jsonl
from vitrina.timeutil import parse_duration_ms

_READ_BYTES = 64 << 20  # read input in blocks this big, cut at the last newline
_SHOW_BAD = 5  # how many bad lines to quote on stderr


def window_spec(size: str, hop: str, lateness: str) -> WindowSpec:
    """Durations from the command line as a :class:`WindowSpec`, or a one-line UsageError."""
    try:
        size_ms, hop_ms, late_ms = (parse_duration_ms(v) for v in (size, hop, lateness))
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if size_ms <= 0 or hop_ms <= 0:
        raise UsageError("--size and --hop must be positive durations")
    if hop_ms > size_ms or size_ms % hop_ms:
        raise UsageError(f"--size ({size}) must be a multiple of --hop ({hop})")
    return WindowSpec(size_ms, hop_ms, late_ms, instants=True)


def _blocks(fh: IO[bytes]) -> Iterator[bytes]:
    rest = b""
    while True:
        chunk = fh.read(_READ_BYTES)
        if not chunk:
            break
        data = rest + chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            rest = data
            continue
        rest = data[cut + 1 :]
        yield data[: cut + 1]
    if rest:
        yield rest


@app.command()
def window(
    input_path: Annotated[
        str, typer.Option("--input", help="JSON-lines file of click events, or - for stdin.")
    ],
    size: Annotated[str, typer.Option(help="Window size.")] = "5m",
    hop: Annotated[str, typer.Option(help="Window hop (= size for tumbling windows).")] = "1m",
    lateness: Annotated[
        str, typer.Option(help="Allowed lateness behind the newest event.")
    ] = "30s",
) -> None:
    """Count clicks per product in event-time windows; print one JSON line per window."""
    spec = window_spec(size, hop, lateness)
    if input_path == "-":
        fh: IO[bytes] = sys.stdin.buffer
    else:
        path = Path(input_path)
        try:
            fh = path.open("rb")
        except OSError as exc:
            raise UsageError(f"cannot read --input {input_path}: {exc.strerror}") from exc
    engine = WindowEngine(spec)
    out = sys.stdout.buffer
    line_base = 0
    counts = {"events": 0, "clicks": 0, MALFORMED: 0, "contract": 0, "late": 0, "windows": 0}
    examples: list[str] = []
    try:
        for block in _blocks(fh):
            parsed = parse_clicks(block)
            counts["events"] += len(parsed.ts_ms)
            counts["clicks"] += int(parsed.is_click.sum())
            for number, kind, reason in zip(
                parsed.bad_line, parsed.bad_kind, parsed.bad_reason, strict=True
            ):
                counts[kind] += 1
                if len(examples) < _SHOW_BAD:
                    examples.append(f"line {line_base + number}: {reason}")
            result = engine.process(parsed.ts_ms, parsed.product_id, parsed.is_click)
            for i in result.late[: max(0, _SHOW_BAD - len(examples))].tolist():
                examples.append(
                    f"line {line_base + int(parsed.line[i])}: late (all its windows closed)"
                )
            counts["late"] += len(result.late)
            counts["windows"] += len(result.emitted)
            out.write(windows_jsonl(result.emitted))
            line_base += block.count(b"\n")
        final = engine.flush()
        counts["windows"] += len(final)
        out.write(windows_jsonl(final))
        out.flush()
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()
    c = counts
    print(
        f"window: {c['events']} events, {c['clicks'] - c['late']} clicks counted in "
        f"{c['windows']} windows; malformed {c[MALFORMED]}, contract violations "
        f"{c['contract']}, late {c['late']}",
        file=sys.stderr,
    )
    for line in examples:
        print(f"  {line}", file=sys.stderr)


@app.command()
def stream(
    ctx: typer.Context,
    from_url: Annotated[
        str | None,
        typer.Option("--from", help="Source: event-log URL (file://…) or kafka://host:port."),
    ] = None,
    to_url: Annotated[
        str | None,
        typer.Option("--to", help="Sink for product_clicks_5m: event-log URL or kafka://."),
    ] = None,
    size: Annotated[str | None, typer.Option(help="Window size (stream.size).")] = None,
    hop: Annotated[str | None, typer.Option(help="Window hop (stream.hop).")] = None,
    lateness: Annotated[
        str | None, typer.Option(help="Allowed lateness (stream.lateness).")
    ] = None,
    follow: Annotated[
        bool,
        typer.Option("--follow/--once", help="Keep running (default) or stop at end of input."),
    ] = True,
    group: Annotated[
        str | None, typer.Option(help="Kafka consumer group (several processes split partitions).")
    ] = None,
    instance: Annotated[
        int, typer.Option(min=0, help="Instance number within the group (stable per process slot).")
    ] = 0,
    marts: Annotated[
        bool, typer.Option("--marts/--no-marts", help="Also write the marts table product_clicks.")
    ] = True,
    max_batch: Annotated[
        int, typer.Option(min=1, help="Kafka: most messages per micro-batch (one transaction).")
    ] = 100_000,
) -> None:
    """Run the streaming job: windowed click counts from the event log or Kafka, exactly once."""
    from vitrina.pipelines import stream as stream_job

    settings = settings_from(ctx, stream={"size": size, "hop": hop, "lateness": lateness})
    report = stream_job.run(
        settings,
        None,
        follow=follow,
        source_url=from_url,
        sink_url=to_url,
        group=group,
        instance=instance,
        marts=marts,
        progress=True,
        max_batch=max_batch,
    )
    for key, value in report.rows():
        err_console.print(f"{key}: {value}", markup=False, highlight=False)
