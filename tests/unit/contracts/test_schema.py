"""JSON Schema export: valid schemas, one file per entity, agreeing with the pydantic models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest
from pydantic import ValidationError

from tests.support.records import GOOD, record
from vitrina.contracts import ENTITIES
from vitrina.contracts.schema import entity_schema, export_schemas
from vitrina.errors import UsageError

BAD: list[tuple[str, dict[str, Any]]] = [
    ("users", {"email": "not-an-email"}),
    ("users", {"loyalty_status": "Platinum"}),
    ("users", {"user_id": 0}),
    ("users", {"user_id": "5"}),
    ("users", {"registration_date": "2026-01-05T10:00:00+02:00"}),
    ("products", {"price": -1}),
    ("products", {"price": "12.345"}),
    ("orders", {"status": "lost"}),
    ("reviews", {"rating": 6}),
    ("reviews", {"rating": 0}),
    ("order_details", {"quantity": 0}),
    ("clicks", {"event_type": "hover"}),
    ("clicks", {"ts": "2026-11-22 13:00:00"}),
    ("clicks", {"ts": ...}),
    ("clicks", {"session_id": 123}),
]


def test_export_writes_one_valid_schema_per_entity(tmp_path: Path) -> None:
    written = export_schemas(tmp_path / "schemas")
    assert sorted(p.name for p in written) == sorted(f"{e}.schema.json" for e in ENTITIES)
    for path in written:
        schema = orjson.loads(path.read_bytes())
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        entity = path.name.removesuffix(".schema.json")
        assert list(schema["properties"]) == list(ENTITIES[entity].model_fields)
    assert not list((tmp_path / "schemas").glob(".*"))  # no temporary files left


@pytest.mark.parametrize("entity", list(GOOD))
def test_good_records_pass_both_json_schema_and_pydantic(entity: str) -> None:
    jsonschema.validate(GOOD[entity], entity_schema(entity), cls=jsonschema.Draft202012Validator)
    ENTITIES[entity].model_validate_json(orjson.dumps(GOOD[entity]))


@pytest.mark.parametrize(("entity", "changes"), BAD)
def test_bad_records_fail_both_json_schema_and_pydantic(
    entity: str, changes: dict[str, Any]
) -> None:
    rec = record(entity, **changes)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(rec, entity_schema(entity), cls=jsonschema.Draft202012Validator)
    with pytest.raises(ValidationError):
        ENTITIES[entity].model_validate_json(orjson.dumps(rec))


def test_rules_beyond_json_schema_are_listed() -> None:
    orders = entity_schema("orders")["x-vitrina"]
    assert orders["primary_key"] == "order_id"
    assert orders["references"] == [
        {"field": "user_id", "targets": ["users.user_id", "registrations.user_id"]}
    ]
    assert orders["record_rules"] == ["delivery_date: chronology (order_date, delivery_date)"]
    assert entity_schema("users")["x-vitrina"]["unique"] == ["user_id", "email"]


def test_a_file_in_the_way_or_an_unknown_entity_writes_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(UsageError, match="not a directory"):
        export_schemas(blocker)
    with pytest.raises(UsageError, match="cannot create directory"):
        export_schemas(blocker / "sub")
    with pytest.raises(UsageError, match="unknown entity"):
        export_schemas(tmp_path / "out", ["users", "nope"])
    assert not (tmp_path / "out").exists()
