"""``vitrina contracts``: export JSON Schema, list the contracts, validate a JSON-lines file."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import orjson
import polars as pl
import typer
from rich.table import Table
from rich.text import Text

from vitrina.cli.app import app, err_console, out_console
from vitrina.contracts import ENTITIES, contract_for, parse_jsonl, validate_table
from vitrina.contracts.schema import export_schemas
from vitrina.contracts.spec import field_specs
from vitrina.errors import ContractError, UsageError

contracts_app = typer.Typer(
    help="Data contracts: JSON Schema export and validation.", no_args_is_help=True
)
app.add_typer(contracts_app, name="contracts")


@contracts_app.command("export")
def export(
    directory: Annotated[Path, typer.Argument(help="Where to write <entity>.schema.json files.")],
    entity: Annotated[
        list[str] | None, typer.Option("--entity", "-e", help="Only these entities (repeatable).")
    ] = None,
) -> None:
    """Write one JSON Schema file per entity into DIRECTORY."""
    for path in export_schemas(directory, entity or None):
        out_console.print(str(path), markup=False, highlight=False)


@contracts_app.command("bench")
def bench(
    rows: Annotated[int, typer.Option(min=0, help="How many click events.")] = 1_000_000,
    malformed_rate: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Share of lines cut in half.")
    ] = 0.0,
    seed: Annotated[int, typer.Option(help="Random seed of the generated events.")] = 1,
) -> None:
    """Parse and validate ROWS click events; the last line is one JSON object with the figures."""
    from vitrina.contracts.bench import run_bench

    with err_console.status(f"parsing and validating {rows:,} click events"):
        figures = run_bench(rows, seed=seed, malformed_rate=malformed_rate).as_dict()
    table = Table(title="vitrina contracts bench", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    for key, value in figures.items():
        table.add_row(key, f"{value:,}")
    err_console.print(table)
    sys.stdout.write(orjson.dumps(figures).decode() + "\n")


@contracts_app.command("list")
def list_contracts() -> None:
    """List the entities, their domain, primary key and fields."""
    table = Table(title="vitrina contracts")
    for col in ("entity", "domain", "key", "fields"):
        table.add_column(col)
    for name, model in ENTITIES.items():
        fields = ", ".join(f"{s.name}{'' if s.required else '?'}" for s in field_specs(model))
        table.add_row(name, model.domain, ", ".join(model.key_columns()), Text(fields))
    out_console.print(table)


def _read_input(file: str) -> bytes:
    if file == "-":
        return sys.stdin.buffer.read()
    path = Path(file)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{file}: cannot read ({exc.strerror or exc})") from exc


@contracts_app.command("validate")
def validate(
    entity: Annotated[str, typer.Argument(help=f"One of: {', '.join(ENTITIES)}.")],
    file: Annotated[str, typer.Argument(help="A JSON-lines file, or - for standard input.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of tables.")
    ] = False,
    examples: Annotated[int, typer.Option(help="How many failing records to show.")] = 5,
) -> None:
    """Check every record of FILE against ENTITY's contract; exit 1 when any record fails."""
    contract_for(entity)  # unknown entity: usage error before reading anything
    data = _read_input(file)
    began = time.perf_counter()
    batch = parse_jsonl(data, entity, file)
    result = validate_table(entity, batch.frame)
    elapsed = time.perf_counter() - began
    by_rule = (
        result.errors.group_by("field", "rule").len().sort("len", "field", descending=[True, False])
        if result.errors.height
        else pl.DataFrame(schema={"field": pl.String, "rule": pl.String, "len": pl.UInt32})
    )
    summary = {
        "entity": entity,
        "file": file,
        "records": batch.total,
        "valid": result.valid.height,
        "invalid": result.invalid.height,
        "malformed": batch.bad.height,
        "errors": {f"{f}:{r}": n for f, r, n in by_rule.iter_rows()},
        "elapsed_s": round(elapsed, 3),
    }
    if as_json:
        sys.stdout.write(orjson.dumps(summary).decode() + "\n")
    else:
        _print_summary(summary, by_rule, batch.bad, result.invalid, examples)
    if batch.bad.height or result.invalid.height:
        raise ContractError(
            f"{file}: {result.invalid.height} invalid records, {batch.bad.height} malformed lines"
        )


def _print_summary(
    summary: dict[str, object],
    by_rule: pl.DataFrame,
    bad: pl.DataFrame,
    invalid: pl.DataFrame,
    examples: int,
) -> None:
    table = Table(title=f"{summary['entity']} contract: {summary['file']}", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    for key in ("records", "valid", "invalid", "malformed"):
        table.add_row(key, f"{summary[key]:,}")
    table.add_row("elapsed", f"{summary['elapsed_s']} s")
    out_console.print(table)
    if by_rule.height:
        rules = Table(title="failing fields")
        for col in ("field", "rule", "records"):
            rules.add_column(col)
        for field, rule, n in by_rule.iter_rows():
            rules.add_row(field, rule, f"{n:,}")
        out_console.print(rules)
    shown = [
        (f"line {line}" if line is not None else f"row {row}", "; ".join(reasons))
        for row, line, reasons in invalid.select(
            "_row", pl.col("_line") if "_line" in invalid.columns else pl.lit(None), "reasons"
        )
        .head(examples)
        .iter_rows()
    ] + [
        (f"line {line}", reason)
        for line, reason in bad.select("_line", "reason").head(examples).iter_rows()
    ]
    for where, text in shown:
        out_console.print(Text(f"{where}: {text}"))
