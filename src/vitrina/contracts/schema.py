"""JSON Schema of each contract, and writing them as files (one per entity)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import orjson

from vitrina.atomicio import write_atomic
from vitrina.contracts.registry import ENTITIES, contract_for
from vitrina.errors import UsageError

__all__ = ["SCHEMA_DIALECT", "entity_schema", "export_schemas"]

log = logging.getLogger(__name__)

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def entity_schema(entity: str) -> dict[str, Any]:
    """The JSON Schema of one entity; rules JSON Schema cannot state go under ``x-vitrina``."""
    model = contract_for(entity)
    body = model.model_json_schema(mode="validation")
    rules = [f"{r.field}: {r.rule} ({', '.join(r.inputs)})" for r in model.row_rules]
    extra = {
        "entity": entity,
        "domain": model.domain,
        # A composite key is a list of columns, in "primary_key" and as one entry of "unique".
        "primary_key": model.primary_key,
        "unique": [model.primary_key, *model.unique],
        "references": [
            {"field": ref.field, "targets": [f"{e}.{c}" for e, c in ref.targets]}
            for ref in model.references
        ],
        "record_rules": rules,
    }
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"urn:vitrina:contract:{entity}",
        **body,
        "x-vitrina": extra,
    }


def export_schemas(directory: Path, entities: list[str] | None = None) -> list[Path]:
    """Write ``<directory>/<entity>.schema.json`` for each entity (all by default), atomically.

    A directory that cannot be used is a :class:`UsageError` and nothing is written.
    """
    names = entities if entities else list(ENTITIES)
    schemas = {name: entity_schema(name) for name in names}  # unknown names fail before writing
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory}: not a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{directory}: cannot create directory ({exc.strerror or exc})") from exc
    if not os.access(directory, os.W_OK):
        raise UsageError(f"{directory}: directory is not writable")
    written: list[Path] = []
    for name, schema in schemas.items():
        path = directory / f"{name}.schema.json"
        write_atomic(path, orjson.dumps(schema, option=orjson.OPT_INDENT_2) + b"\n", durable=False)
        written.append(path)
    log.info("wrote %d schemas to %s", len(written), directory)
    return written
