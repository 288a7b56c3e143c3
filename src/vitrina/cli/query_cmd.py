"""``vitrina query``: SQL against a store, printed as a table, JSON or CSV (see vitrina.query)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import pyarrow as pa
import typer
from rich.table import Table

from vitrina.cli.app import app, out_console, settings_from
from vitrina.errors import BackendError, UsageError, VitrinaError
from vitrina.query import format_csv, format_json, format_rows, list_tables, rich_table, run_query

# Re-exported: callers written before the query API moved out of the CLI import them here.
__all__ = ["format_csv", "format_json", "run_query"]


class Store(StrEnum):
    source = "source"
    warehouse = "warehouse"
    marts = "marts"
    serving = "serving"
    graph = "graph"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _rich_table(table: pa.Table) -> Table:
    return rich_table(table)


@app.command()
def query(
    ctx: typer.Context,
    sql: Annotated[
        str | None, typer.Argument(help="The SQL to run (the store's dialect).", show_default=False)
    ] = None,
    store: Annotated[Store, typer.Option(help="Which store to query.")] = Store.warehouse,
    fmt: Annotated[
        Format, typer.Option("--format", help="table (people), json (array of objects) or csv.")
    ] = Format.table,
    tables: Annotated[
        bool, typer.Option("--tables", help="List every schema's tables of the store instead.")
    ] = False,
) -> None:
    """Run SQL against a store: source, warehouse, marts (ClickHouse SQL) or serving (DuckDB SQL
    over the current set: top_products, recommendations, serving_version) or graph (Cypher on
    Neo4j, stack profile). Several SQL statements separated by ';' run in order; the rows of
    the last one print."""
    if tables == (sql is not None):
        raise UsageError("give either SQL or --tables (not both)" if tables else "missing SQL")
    settings = settings_from(ctx)
    try:
        result = (
            list_tables(settings, store.value)
            if tables
            else run_query(settings, store.value, sql or "")
        )
    except VitrinaError as exc:
        if exc.exit_code == 2:
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BackendError(first) from exc
    if fmt is Format.table:  # through the shared console: the terminal's width and colours
        out_console.print(_rich_table(result))
        out_console.print(f"{result.num_rows} row(s)", style="dim")
    else:
        sys.stdout.write(format_rows(result, fmt.value))
