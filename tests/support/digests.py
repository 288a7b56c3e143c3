"""Digests of warehouse tables, to assert that a re-run changed nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import orjson

from vitrina.config import Settings
from vitrina.warehouse import open_warehouse

__all__ = ["assert_same_ingest", "quarantine_rows", "table_digests"]


def table_digests(
    settings: Settings, tables: Iterable[str] | None = None
) -> dict[str, tuple[int, str]]:
    """(row count, sha256 of the sorted rows) of each ``schema.table`` in ``tables``, by default
    every table in the raw and clean schemas."""
    wh = open_warehouse(settings.backend("warehouse"))
    try:
        if tables is None:
            names = wh.query_arrow(
                "select table_schema, table_name from information_schema.tables "
                "where table_schema in ('raw', 'clean') order by 1, 2"
            ).to_pylist()
            tables = [f"{n['table_schema']}.{n['table_name']}" for n in names]
        out = {}
        for table in tables:
            schema, name = table.split(".")
            rows = wh.query_arrow(f'select * from "{schema}"."{name}"').to_pylist()
            lines = sorted(orjson.dumps(r, default=str, option=orjson.OPT_NAIVE_UTC) for r in rows)
            out[table] = (len(rows), hashlib.sha256(b"\n".join(lines)).hexdigest())
        return out
    finally:
        wh.close()


def quarantine_rows(settings: Settings) -> list[dict[str, Any]]:
    """The quarantine rows without the moment of their run (``ingested_at``), sorted."""
    with open_warehouse(settings.backend("warehouse")) as wh:
        rows: list[dict[str, Any]] = wh.query_arrow(
            "select entity, origin, origin_file, payload, reasons from raw.quarantine order by all"
        ).to_pylist()
    return rows


def assert_same_ingest(got: Settings, want: Settings) -> None:
    """Two ingests of the same inputs wrote the same raw and clean tables and the same
    quarantine rows (but their moments)."""
    tables = [t for t in table_digests(want) if t != "raw.quarantine"]
    assert len(tables) > 30
    assert table_digests(got, tables) == table_digests(want, tables)
    assert quarantine_rows(got) == quarantine_rows(want)
