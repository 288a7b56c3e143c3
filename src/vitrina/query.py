"""SQL against any store of a profile, as Arrow, and the rows printed as JSON, CSV or a table.

The query API the command line (``vitrina query``) and the dashboard share::

    run_query(settings, "marts", "select * from top_products")   # -> pyarrow.Table
    list_tables(settings, "warehouse")                           # -> (schema, table) rows
    format_rows(table, "json")                                   # -> text

Every value a store returns prints as a JSON value: times as ISO-8601 UTC, decimals as
numbers, integers beyond 64 bits (HUGEINT, Int128, Int256) as numbers when they fit in 64
bits and as strings otherwise, intervals as ISO-8601 durations, binary as base64.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
from rich.table import Table

from vitrina.backends import local_path, scheme_of
from vitrina.config import Settings
from vitrina.errors import BackendError, UsageError, VitrinaError

__all__ = [
    "FORMATS",
    "STORES",
    "format_rows",
    "list_tables",
    "plain_value",
    "rich_table",
    "run_query",
    "split_statements",
]

STORES = ("source", "warehouse", "marts", "serving", "graph")
FORMATS = ("table", "json", "csv")

# The serving set's tables (see vitrina.serve.sql_over_set).
_SERVING_TABLES = ("recommendations", "serving_version", "top_products")
# Schemas of the engines themselves, not of vitrina's data.
_SYSTEM_SCHEMAS = ("information_schema", "pg_catalog", "pg_toast")
_INT64 = (-(2**63), 2**64 - 1)


def _missing_file(store: str, url: str) -> str | None:
    """The local path of an embedded store that does not exist yet (querying must not create it)."""
    path = local_path(store, url)
    return str(path) if path is not None and not path.exists() else None


def split_statements(sql: str) -> list[str]:
    """The statements of ``sql`` split on ``;`` outside quotes and comments, empty ones dropped."""
    out: list[str] = []
    start = i = 0
    n = len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"`":
            i += 1
            while i < n and sql[i] != ch:
                i += 2 if sql[i] == "\\" else 1
        elif sql.startswith("--", i):
            i = sql.find("\n", i)
            i = n if i < 0 else i
        elif sql.startswith("/*", i):
            i = sql.find("*/", i + 2)
            i = n if i < 0 else i + 1
        elif ch == ";":
            out.append(sql[start:i])
            start = i + 1
        i += 1
    out.append(sql[start:])
    return [s.strip() for s in out if _has_code(s)]


def _has_code(statement: str) -> bool:
    text = re.sub(r"--[^\n]*|/\*.*?\*/", "", statement, flags=re.S)
    return bool(text.strip())


def _as_store(store: str, fn: Callable[[], pa.Table]) -> pa.Table:
    """Run ``fn``; the OLTP source goes through the warehouse client, so its errors are
    renamed to say which store the user asked for."""
    try:
        return fn()
    except VitrinaError as exc:
        if store != "source":
            raise
        head, sep, tail = str(exc).partition(": ")
        text = re.sub(r"\bwarehouse\b", "source", head) + sep + tail
        raise type(exc)(text) from exc


def _check_store(store: str) -> None:
    if store not in STORES:
        raise UsageError(f"unknown store {store!r} (allowed: {', '.join(STORES)})")


def run_query(settings: Settings, store: str, sql: str) -> pa.Table:
    """Run ``sql`` on the profile's ``store`` and return the rows (of the last statement) as Arrow."""
    _check_store(store)
    if store == "graph":
        return _query_graph(settings, sql)
    statements = split_statements(sql)
    if not statements:
        raise UsageError("the query is empty: give a SQL statement")
    url = settings.backend(store)
    missing = _missing_file(store, url)
    if missing is not None and store == "serving" and Path(missing).parent.is_dir():
        from vitrina.serve.sql_over_set import query_serving

        return query_serving(None, sql)  # nothing published yet: the tables are empty
    if missing is not None:
        raise BackendError(
            f"the {store} store {missing} does not exist yet (run the pipeline first)"
        )
    if store in ("source", "warehouse"):
        # The OLTP source is a DuckDB file or a PostgreSQL database too: same SQL client.
        from vitrina.warehouse import open_warehouse

        def on_warehouse() -> pa.Table:
            with open_warehouse(url) as wh:
                return wh.query_arrow(sql)

        return _as_store(store, on_warehouse)
    if store == "marts":
        return _query_marts(url, statements)
    from vitrina.serve import open_serving
    from vitrina.serve.sql_over_set import query_serving

    with open_serving(url) as serving:
        return query_serving(serving.snapshot(), sql)


def _graph_url(settings: Settings) -> str:
    url = settings.backend("graph")
    if scheme_of(url) not in ("bolt", "neo4j"):
        raise UsageError(
            f"--store graph runs Cypher on Neo4j; the {settings.profile} profile's graph store "
            f"is {url.partition('://')[0]}:// (use --profile stack)"
        )
    return url


def _query_graph(settings: Settings, cypher: str) -> pa.Table:
    """Cypher on the profile's Neo4j (only a graph database speaks it)."""
    url = _graph_url(settings)
    if not cypher.strip():
        raise UsageError("the query is empty: give a Cypher statement")
    from vitrina.graph import open_graph

    with open_graph(url) as graph:
        return graph.query(cypher)


def _query_marts(url: str, statements: list[str]) -> pa.Table:
    """ClickHouse runs one statement per request: run them in order, return the last's rows."""
    from vitrina.marts.store import open_marts

    with open_marts(url) as ms:
        for statement in statements[:-1]:
            ms.execute(statement)
        last = statements[-1]
        table = ms.query_arrow(last)
        if any(pa.types.is_fixed_size_binary(f.type) for f in table.schema):
            table = _decode_big_ints(table, ms.query_arrow(f"describe ({last})"))
    return table


_BIG_INT = re.compile(r"^(?:Nullable\()?(U?)Int(128|256)\)?$")


def _decode_big_ints(table: pa.Table, described: pa.Table) -> pa.Table:
    """ClickHouse sends (U)Int128/256 to Arrow as little-endian bytes: make them numbers."""
    names, kinds = described.column("name").to_pylist(), described.column("type").to_pylist()
    types = dict(zip(names, kinds, strict=True))
    for i, name in enumerate(table.column_names):
        match = _BIG_INT.match(str(types.get(name, "")))
        if match is None or not pa.types.is_fixed_size_binary(table.schema.field(i).type):
            continue
        signed = match.group(1) == ""
        values = [
            None if b is None else int.from_bytes(b, "little", signed=signed)
            for b in table.column(i).to_pylist()
        ]
        if all(v is None or abs(v) < 10**76 for v in values):
            column = pa.array(
                [None if v is None else Decimal(v) for v in values], pa.decimal256(76, 0)
            )
        else:
            column = pa.array([None if v is None else str(v) for v in values], pa.string())
        table = table.set_column(i, pa.field(name, column.type), column)
    return table


def list_tables(settings: Settings, store: str) -> pa.Table:
    """Every table and view of ``store``, one row per (schema, table), system schemas left out."""
    _check_store(store)
    if store == "serving":
        return pa.table({"schema": ["serving"] * 3, "table": list(_SERVING_TABLES)})
    if store == "graph":  # node labels and relationship types, as "schema" label / relationship
        return _query_graph(
            settings,
            "call db.labels() yield label return 'label' as schema, label as table "
            "union all call db.relationshipTypes() yield relationshipType "
            "return 'relationship' as schema, relationshipType as table",
        )
    if store == "marts":
        sql = (
            "select database as schema, name as table from system.tables "
            "where database = currentDatabase() and not startsWith(name, '_staging_') "
            "order by name"
        )
        return run_query(settings, store, sql)
    system = ", ".join(f"'{s}'" for s in _SYSTEM_SCHEMAS)
    sql = (
        "select table_schema as schema, table_name as table from information_schema.tables "
        f"where table_schema not in ({system}) and table_schema not like 'pg_temp%' "
        "and table_name not like '\\_%' escape '\\' "
        "order by table_schema, table_name"
    )
    return run_query(settings, store, sql)


def _iso_duration(months: int, days: int, nanoseconds: int) -> str:
    """ISO-8601 duration, e.g. ``P1Y2M3DT4H5M6.5S``; a wholly negative one gets a leading minus."""
    if min(months, days, nanoseconds) < 0 and max(months, days, nanoseconds) <= 0:
        return "-" + _iso_duration(-months, -days, -nanoseconds)
    years = int(months / 12)  # toward zero, so mixed signs keep each part's own sign
    parts = [(years, "Y"), (months - 12 * years, "M"), (days, "D")]
    sign = -1 if nanoseconds < 0 else 1
    hours, rest = divmod(abs(nanoseconds), 3_600 * 10**9)
    minutes, rest = divmod(rest, 60 * 10**9)
    seconds = format((Decimal(rest) / 10**9).normalize(), "f")
    date = "".join(f"{v}{u}" for v, u in parts if v)
    clock = [(sign * hours, "H"), (sign * minutes, "M")]
    time = "".join(f"{v}{u}" for v, u in clock if v)
    if rest:
        time += f"{'-' if sign < 0 else ''}{seconds}S"
    text = "P" + date + ("T" + time if time else "")
    return text if text != "P" else "PT0S"


def plain_value(value: Any) -> Any:
    """A JSON/CSV-friendly value for anything a store returns (see the module docstring)."""
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int):
        return value if _INT64[0] <= value <= _INT64[1] else str(value)
    if isinstance(value, Decimal):
        if (
            value.is_finite()
            and value == value.to_integral_value()
            and value.as_tuple().exponent == 0
        ):
            return plain_value(int(value))
        return float(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        micros = (value.days * 86_400 + value.seconds) * 10**6 + value.microseconds
        return _iso_duration(0, 0, micros * 1_000)
    if isinstance(value, pa.MonthDayNano):
        return _iso_duration(value.months, value.days, value.nanoseconds)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        items = list(value)
        if items and all(isinstance(i, tuple) and len(i) == 2 for i in items):
            return {str(k): plain_value(v) for k, v in items}  # an Arrow map: key/value pairs
        return [plain_value(v) for v in items]
    return str(value)


def _rows(table: pa.Table) -> list[dict[str, Any]]:
    return [{k: plain_value(v) for k, v in row.items()} for row in table.to_pylist()]


def format_json(table: pa.Table) -> str:
    """The rows as a JSON array of objects (one line)."""
    return orjson.dumps(_rows(table)).decode()


def format_csv(table: pa.Table) -> str:
    """The rows as CSV with a header; nested values as JSON, NULL as an empty cell."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in _rows(table):
        writer.writerow(
            [
                "" if v is None else orjson.dumps(v).decode() if isinstance(v, list | dict) else v
                for v in row.values()
            ]
        )
    return buf.getvalue()


def rich_table(table: pa.Table) -> Table:
    """The rows as a Rich table for a person: numbers right-aligned, NULL as an empty cell."""
    out = Table(show_header=True, header_style="bold")
    for field in table.schema:
        numeric = (
            pa.types.is_integer(field.type)
            or pa.types.is_floating(field.type)
            or pa.types.is_decimal(field.type)
        )
        out.add_column(field.name, justify="right" if numeric else "left")
    for row in _rows(table):
        out.add_row(
            *(
                ""
                if v is None
                else orjson.dumps(v).decode()
                if isinstance(v, list | dict)
                else str(v)
                for v in row.values()
            )
        )
    return out


def format_rows(table: pa.Table, fmt: str) -> str:
    """The rows as ``json`` (one line), ``csv`` or ``table`` (text for a terminal)."""
    if fmt == "json":
        return format_json(table) + "\n"
    if fmt == "csv":
        return format_csv(table)
    if fmt == "table":
        from rich.console import Console

        buf = io.StringIO()
        console = Console(file=buf, width=200, color_system=None)
        console.print(rich_table(table))
        console.print(f"{table.num_rows} row(s)")
        return buf.getvalue()
    raise UsageError(f"unknown format {fmt!r} (allowed: {', '.join(FORMATS)})")
