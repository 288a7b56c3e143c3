"""``vitrina query``: SQL against a store, printed as a table, JSON or CSV."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import sys
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

import orjson
import pyarrow as pa
import typer
from rich.table import Table

from vitrina.backends import local_path
from vitrina.cli.app import app, out_console, settings_from
from vitrina.config import Settings
from vitrina.errors import BackendError, VitrinaError

__all__ = ["format_csv", "format_json", "run_query"]


class Store(StrEnum):
    source = "source"
    warehouse = "warehouse"
    marts = "marts"
    serving = "serving"


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _missing_file(store: str, url: str) -> str | None:
    """The local path of an embedded store that does not exist yet (querying must not create it)."""
    path = local_path(store, url)
    return str(path) if path is not None and not path.exists() else None


def run_query(settings: Settings, store: str, sql: str) -> pa.Table:
    """Run ``sql`` on the profile's ``store`` and return the rows as Arrow."""
    url = settings.backend(store)
    missing = _missing_file(store, url)
    if missing is not None and store == "serving":
        from vitrina.serve.sql_over_set import query_serving

        return query_serving(None, sql)  # nothing published yet: the tables are empty
    if missing is not None:
        raise BackendError(
            f"the {store} store {missing} does not exist yet (run the pipeline first)"
        )
    if store in ("source", "warehouse"):
        # The OLTP source is a DuckDB file or a PostgreSQL database too: same SQL client.
        from vitrina.warehouse import open_warehouse

        with open_warehouse(url) as wh:
            return wh.query_arrow(sql)
    if store == "marts":
        from vitrina.marts.store import open_marts

        with open_marts(url) as ms:
            return ms.query_arrow(sql)
    from vitrina.serve import open_serving
    from vitrina.serve.sql_over_set import query_serving

    with open_serving(url) as serving:
        return query_serving(serving.snapshot(), sql)


def _plain(value: Any) -> Any:
    """A JSON/CSV-friendly scalar: ISO-8601 UTC times, decimals as numbers, ints stay ints."""
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and value.as_tuple().exponent == 0
            else float(value)
        )
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def format_json(table: pa.Table) -> str:
    rows = [{k: _plain(v) for k, v in row.items()} for row in table.to_pylist()]
    return orjson.dumps(rows).decode()


def format_csv(table: pa.Table) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in table.to_pylist():
        cells = [_plain(row[c]) for c in table.column_names]
        writer.writerow(
            [
                "" if v is None else orjson.dumps(v).decode() if isinstance(v, list | dict) else v
                for v in cells
            ]
        )
    return buf.getvalue()


def _rich_table(table: pa.Table) -> Table:
    out = Table(show_header=True, header_style="bold")
    for name, field in zip(table.column_names, table.schema, strict=True):
        numeric = (
            pa.types.is_integer(field.type)
            or pa.types.is_floating(field.type)
            or pa.types.is_decimal(field.type)
        )
        out.add_column(name, justify="right" if numeric else "left")
    for row in table.to_pylist():
        out.add_row(*("" if row[c] is None else str(_plain(row[c])) for c in table.column_names))
    return out


@app.command()
def query(
    ctx: typer.Context,
    sql: Annotated[str, typer.Argument(help="The SQL to run (the store's dialect).")],
    store: Annotated[Store, typer.Option(help="Which store to query.")] = Store.warehouse,
    fmt: Annotated[
        Format, typer.Option("--format", help="table (people), json (array of objects) or csv.")
    ] = Format.table,
) -> None:
    """Run SQL against a store: source, warehouse, marts (ClickHouse SQL) or serving (DuckDB SQL
    over the current set: top_products, recommendations, serving_version)."""
    settings = settings_from(ctx)
    try:
        result = run_query(settings, store.value, sql)
    except VitrinaError as exc:
        if exc.exit_code == 2:
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BackendError(first) from exc
    if fmt is Format.json:
        sys.stdout.write(format_json(result) + "\n")
    elif fmt is Format.csv:
        sys.stdout.write(format_csv(result))
    else:
        out_console.print(_rich_table(result))
        out_console.print(f"{result.num_rows} row(s)", style="dim")
