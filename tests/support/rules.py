"""What the model and the batch validator say of one record, and small worlds for the table rules."""

from __future__ import annotations

from typing import Any

import orjson
import polars as pl
from pydantic import ValidationError

from tests.support.records import frame, jsonl
from vitrina.contracts import ENTITIES, parse_jsonl, validate_table

_PYDANTIC_RULES = {
    "missing": "missing",
    "int_type": "type",
    "int_parsing": "type",
    "int_from_float": "type",
    "string_type": "type",
    "decimal_type": "type",
    "decimal_parsing": "type",
    "finite_number": "type",
    "greater_than": "range",
    "greater_than_equal": "range",
    "less_than": "range",
    "less_than_equal": "range",
    "string_too_short": "length",
    "string_too_long": "length",
    "string_pattern_mismatch": "format",
    "decimal_max_places": "format",
    "literal_error": "enum",
    "bool_type": "type",
}


def pydantic_rules(entity: str, rec: dict[str, Any]) -> set[tuple[str, str]]:
    try:
        ENTITIES[entity].model_validate_json(orjson.dumps(rec))
    except ValidationError as exc:
        out = set()
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else str(err["ctx"]["field"])
            rule = _PYDANTIC_RULES.get(err["type"], err["type"])
            if err["loc"] and field in rec and rec[field] is None:
                # JSON null and an absent key are one thing in a column (a record rule on a
                # nullable field, e.g. a quote without text, keeps its own name).
                rule = "missing"
            out.add((field, rule))
        return out
    return set()


def batch_rules(entity: str, rec: dict[str, Any]) -> set[tuple[str, str]]:
    parsed = parse_jsonl(jsonl([rec]), entity, "agreement")
    assert parsed.bad.height == 0
    errors = validate_table(entity, parsed.frame).errors
    return {(f, r) for f, r in errors.select("field", "rule").iter_rows()}


def world(**tables: list[dict[str, Any]]) -> dict[str, pl.DataFrame]:
    return {name: frame(name, rows) for name, rows in tables.items()}


def reasons(result: Any) -> list[list[str]]:
    return [list(r) for r in result.invalid["reasons"].to_list()]
