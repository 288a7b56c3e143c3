"""Row-by-row checksums of a table in the source and in the replica, engine-independent."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from vitrina.contracts.registry import contract_for
from vitrina.contracts.storage import field_kinds

__all__ = ["differing_rows", "row_checksums", "source_rows"]


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return str(value.isoformat(timespec="microseconds"))
    return str(value)


def row_checksums(table: str, rows: Iterable[tuple[Any, ...]]) -> dict[str, str]:
    """``{key: sha256 of the row}``; rows hold the contract's fields then ``updated_at``."""
    names = [n for n, _ in field_kinds(table)]
    key_at = [names.index(k) for k in contract_for(table).key_columns()]
    out: dict[str, str] = {}
    for row in rows:
        cells = [_text(v) for v in row]
        key = "|".join(cells[i] for i in key_at)
        out[key] = hashlib.sha256("\x1f".join(cells).encode()).hexdigest()
    return out


def differing_rows(
    table: str, source: Iterable[tuple[Any, ...]], replica: Iterable[tuple[Any, ...]]
) -> int:
    """Rows missing, extra or different in the replica (0: the same rows)."""
    want, have = row_checksums(table, source), row_checksums(table, replica)
    return len(set(want.items()) ^ set(have.items()))


def source_rows(con: Any, table: str) -> list[tuple[Any, ...]]:
    """Every row of a source table (a DB-API or DuckDB connection), fields then updated_at."""
    cols = [*(n for n, _ in field_kinds(table)), "updated_at"]
    cur = con.execute(f"select {', '.join(cols)} from {table}")
    return list(cur.fetchall())
