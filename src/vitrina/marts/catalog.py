"""The published marts, described once in their dbt YAML and read back from dbt's manifest.

A dbt model is published when its ``config.meta`` says ``publish: true``; the rest of the meta
says how it lands in the marts store::

    config:
      meta:
        publish: true
        domain: shop                  # the data product it belongs to
        grain: one row per product    # what one row is
        order_by: [product_id]        # the ClickHouse sorting key ([] for none)
        engine: MergeTree             # the marts-store table engine
        denormalise: [product]        # optional: dimensions joined on their key

Its ``columns`` (each with a ``data_type`` in warehouse SQL) are the published columns, in
order; a column with a ``not_null`` test, or in ``order_by``, is non-nullable in the store.
``vitrina transform`` writes the manifest to ``<data dir>/dbt/target/manifest.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from vitrina.errors import PipelineError

if TYPE_CHECKING:
    from vitrina.config import Settings

__all__ = [
    "ENGINES",
    "MART_NAME",
    "Column",
    "MartSpec",
    "load_marts",
    "manifest_path",
    "published_marts",
]

# The table engines publish knows how to create (a replaced table is rebuilt whole, so engines
# that merge rows on their own, e.g. ReplacingMergeTree, add nothing here).
ENGINES = ("MergeTree", "Log", "TinyLog", "Memory")
# Marts-store table names: lower case snake_case, as the naming convention in
# docs/adding-a-mart.md asks.
MART_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Column:
    """One published column: its name, warehouse SQL type and whether it may be NULL."""

    name: str
    data_type: str
    nullable: bool
    description: str = ""


@dataclass(frozen=True)
class MartSpec:
    """How one dbt model is published to the marts store."""

    name: str
    schema: str  # the warehouse schema dbt built it in
    relation: str  # the warehouse table (dbt alias)
    domain: str
    grain: str
    order_by: tuple[str, ...]
    engine: str
    columns: tuple[Column, ...]
    denormalise: tuple[str, ...] = ()
    description: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False)


def manifest_path(data_dir: Path) -> Path:
    """Where ``vitrina transform`` leaves dbt's manifest for a data dir."""
    return data_dir.absolute() / "dbt" / "target" / "manifest.json"


def _not_null_columns(nodes: dict[str, Any]) -> dict[str, set[str]]:
    """Per model unique_id, the columns a ``not_null`` test guards."""
    out: dict[str, set[str]] = {}
    for node in nodes.values():
        meta = node.get("test_metadata") or {}
        if node.get("resource_type") == "test" and meta.get("name") == "not_null":
            column = node.get("column_name") or (meta.get("kwargs") or {}).get("column_name")
            parent = node.get("attached_node")
            if column and parent:
                out.setdefault(parent, set()).add(str(column))
    return out


def _spec(node: dict[str, Any], guarded: set[str]) -> MartSpec:
    name = str(node["name"])
    meta = dict((node.get("config") or {}).get("meta") or node.get("meta") or {})
    where = f"mart {name} ({node.get('original_file_path', '?')})"

    def problem(text: str) -> PipelineError:
        return PipelineError(f"{where}: {text}")

    if not MART_NAME.match(name):
        raise problem("a published mart's name is lower-case snake_case")
    order_by = tuple(str(c) for c in meta.get("order_by") or ())
    engine = str(meta.get("engine", "MergeTree"))
    if engine not in ENGINES:
        raise problem(f"meta.engine {engine!r} is not one of {', '.join(ENGINES)}")
    columns: list[Column] = []
    for col in (node.get("columns") or {}).values():
        data_type = col.get("data_type")
        if not data_type:
            raise problem(f"column {col['name']} needs a data_type")
        col_name = str(col["name"])
        nullable = col_name not in guarded and col_name not in order_by
        columns.append(Column(col_name, str(data_type), nullable, str(col.get("description", ""))))
    if not columns:
        raise problem("list its published columns, each with a data_type")
    unknown = [c for c in order_by if c not in {c.name for c in columns}]
    if unknown:
        raise problem(f"meta.order_by names columns it does not publish: {', '.join(unknown)}")
    for key in ("grain", "domain"):
        if not meta.get(key):
            raise problem(f"meta.{key} is required")
    return MartSpec(
        name=name,
        schema=str(node["schema"]),
        relation=str(node.get("alias") or name),
        domain=str(meta["domain"]),
        grain=str(meta["grain"]),
        order_by=order_by,
        engine=engine,
        columns=tuple(columns),
        denormalise=tuple(str(d) for d in meta.get("denormalise") or ()),
        description=str(node.get("description", "")).strip(),
        meta=meta,
    )


def load_marts(path: Path) -> tuple[MartSpec, ...]:
    """The published marts of a dbt manifest, ordered by name."""
    try:
        manifest = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        raise PipelineError(
            f"no dbt manifest at {path}: run `vitrina transform` before publishing"
        ) from None
    except (OSError, orjson.JSONDecodeError) as exc:
        raise PipelineError(f"cannot read the dbt manifest {path}: {exc}") from exc
    nodes: dict[str, Any] = manifest.get("nodes") or {}
    guarded = _not_null_columns(nodes)
    specs = [
        _spec(node, guarded.get(uid, set()))
        for uid, node in nodes.items()
        if node.get("resource_type") == "model"
        and ((node.get("config") or {}).get("meta") or node.get("meta") or {}).get("publish")
    ]
    return tuple(sorted(specs, key=lambda s: s.name))


def published_marts(settings: Settings) -> tuple[MartSpec, ...]:
    """The marts ``vitrina publish`` copies to the marts store, with their meta, as the last
    ``vitrina transform`` of the profile's data dir described them."""
    return load_marts(manifest_path(settings.data_dir))
