"""The batch validator and the pydantic models agree, record by record, on which rules fail."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.records import jsonl, record
from tests.support.rules import batch_rules, pydantic_rules
from vitrina.contracts import ENTITIES, parse_jsonl, validate_table

CASES: list[tuple[str, dict[str, Any], set[tuple[str, str]]]] = [
    ("users", {}, set()),
    ("users", {"user_id": 0}, {("user_id", "range")}),
    ("users", {"user_id": -5}, {("user_id", "range")}),
    ("users", {"user_id": "5"}, {("user_id", "type")}),
    ("users", {"user_id": 5.5}, {("user_id", "type")}),
    ("users", {"user_id": 5.0}, {("user_id", "type")}),
    ("users", {"user_id": True}, {("user_id", "type")}),
    ("users", {"user_id": ...}, {("user_id", "missing")}),
    ("users", {"user_id": None}, {("user_id", "missing")}),
    ("users", {"first_name": ""}, {("first_name", "length")}),
    ("users", {"first_name": "x" * 201}, {("first_name", "length")}),
    ("users", {"first_name": 123}, {("first_name", "type")}),
    ("users", {"last_name": False}, {("last_name", "type")}),
    ("users", {"email": "not-an-email"}, {("email", "format")}),
    ("users", {"email": "a@b"}, {("email", "format")}),
    ("users", {"phone": "call me"}, {("phone", "format")}),
    ("users", {"registration_date": "2026-13-01"}, {("registration_date", "format")}),
    ("users", {"registration_date": "2026-02-30T00:00:00Z"}, {("registration_date", "format")}),
    ("users", {"registration_date": "2026-01-05 10:00:00"}, {("registration_date", "format")}),
    (
        "users",
        {"registration_date": "2026-01-05T10:00:00+02:00"},
        {("registration_date", "format")},
    ),
    ("users", {"registration_date": "2026-01-05T24:00:00Z"}, {("registration_date", "format")}),
    ("users", {"registration_date": 20260105}, {("registration_date", "type")}),
    ("users", {"loyalty_status": "gold"}, {("loyalty_status", "enum")}),
    (
        "users",
        {"user_id": 0, "email": "x", "loyalty_status": "Tin", "phone": ...},
        {
            ("user_id", "range"),
            ("email", "format"),
            ("loyalty_status", "enum"),
            ("phone", "missing"),
        },
    ),
    ("categories", {"parent_category_id": 0}, {("parent_category_id", "range")}),
    ("categories", {"parent_category_id": ...}, set()),
    ("products", {"price": -1}, {("price", "range")}),
    ("products", {"price": "12.345"}, {("price", "format")}),
    ("products", {"price": 12.345}, {("price", "format")}),
    ("products", {"price": "abc"}, {("price", "type")}),
    ("products", {"price": 7}, set()),
    ("products", {"price": "0.5"}, set()),
    ("products", {"price": "1_000"}, {("price", "type")}),
    ("products", {"price": " 12.5"}, {("price", "type")}),
    ("products", {"price": "NaN"}, {("price", "type")}),
    ("products", {"price": "\u0661\u0662"}, {("price", "type")}),
    ("users", {"registration_date": "2026-01-05\n"}, {("registration_date", "format")}),
    ("products", {"stock_quantity": -1}, {("stock_quantity", "range")}),
    ("products", {"creation_date": "yesterday"}, {("creation_date", "format")}),
    ("products", {"description": ""}, set()),
    ("orders", {"status": "lost"}, {("status", "enum")}),
    ("orders", {"status": 3}, {("status", "enum")}),
    ("orders", {"delivery_date": None}, set()),
    ("orders", {"delivery_date": "2026-01-31"}, {("delivery_date", "chronology")}),
    ("order_details", {"quantity": 0}, {("quantity", "range")}),
    ("order_details", {"total_price": "40.00"}, {("total_price", "total")}),
    ("order_details", {"total_price": "39.97"}, set()),
    ("reviews", {"rating": 0}, {("rating", "range")}),
    ("reviews", {"rating": 6}, {("rating", "range")}),
    ("reviews", {"rating": 4.5}, {("rating", "type")}),
    ("reviews", {"review_text": None}, {("review_text", "missing")}),
    ("loyalty_points", {"points": -1}, {("points", "range")}),
    ("clicks", {"event_type": "hover"}, {("event_type", "enum")}),
    ("clicks", {"device": "tv"}, {("device", "enum")}),
    ("clicks", {"device": None}, set()),
    ("clicks", {"device": ...}, set()),
    ("clicks", {"ts": "2026-11-22T13:00:00.123"}, {("ts", "format")}),
    ("clicks", {"ts": "not-a-time"}, {("ts", "format")}),
    ("clicks", {"ts": "2026-11-22"}, {("ts", "format")}),
    ("clicks", {"event_id": ""}, {("event_id", "length")}),
    ("clicks", {"session_id": 123}, {("session_id", "type")}),
    ("clicks", {"session_id": "123"}, set()),
    (
        "clicks",
        {"product_id": -3, "user_id": ...},
        {("product_id", "range"), ("user_id", "missing")},
    ),
    (
        "registrations",
        {"email": "not-an-email", "ts": ...},
        {("email", "format"), ("ts", "missing")},
    ),
]


@pytest.mark.parametrize(("entity", "changes", "expected"), CASES)
def test_batch_and_pydantic_report_the_same_rules(
    entity: str, changes: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    rec = record(entity, **changes)
    assert pydantic_rules(entity, rec) == expected
    assert batch_rules(entity, rec) == expected


def test_all_cases_in_one_table_give_the_same_answers_as_one_by_one() -> None:
    """Mixed types in one column (5 and "5") must not blur what each record is."""
    for entity in {c[0] for c in CASES}:
        cases = [(record(entity, **ch), exp) for e, ch, exp in CASES if e == entity]
        parsed = parse_jsonl(jsonl([rec for rec, _ in cases]), entity, "agreement")
        errors = validate_table(entity, parsed.frame).errors
        for row, (_, expected) in enumerate(cases):
            got = {
                (f, r)
                for f, r in errors.filter(errors["_row"] == row).select("field", "rule").iter_rows()
            }
            assert got == expected, (entity, row)


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=12),
    st.sampled_from(
        [
            "2026-01-05",
            "2026-01-05T10:00:00Z",
            "2026-01-05T10:00:00.5Z",
            "Gold",
            "view",
            "paid",
            "a@b.cd",
            "12.50",
            "12.345",
            "1e3",
            "-1",
            "0",
            "x@y",
            "+1-555",
            "tablet",
            "7",
            "NaN",
            "Infinity",
            " 12.5",
            "+5",
            "1_000",
            "12.5\n",
            "\u0661\u0662",
            "2026-01-05\n",
            "\u0662\u0660\u0662\u0666-01-05",
            "2026-01-05T10:00:00Z\n",
            "1e400",
            "-0.0",
        ]
    ),
    st.lists(st.integers(0, 9), max_size=2),
    st.dictionaries(st.text("ab", max_size=2), st.integers(0, 9), max_size=1),
)
_ROW_RULES = {"total", "chronology", "self", "order", "required", "target"}


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(list(ENTITIES)), st.data())
def test_random_records_get_the_same_verdict_from_both(entity: str, data: st.DataObject) -> None:
    fields = list(ENTITIES[entity].model_fields)
    changes = data.draw(
        st.dictionaries(st.sampled_from(fields), st.one_of(_VALUES, st.just(...)), max_size=3)
    )
    rec = record(entity, **changes)
    expected = pydantic_rules(entity, rec)
    got = batch_rules(entity, rec)
    if expected - {e for e in expected if e[1] in _ROW_RULES}:
        # pydantic runs record rules only when every field passed; the batch runs each one
        # whenever its own inputs passed, so it may say more there.
        got = {g for g in got if g[1] not in _ROW_RULES} | {
            e for e in expected if e[1] in _ROW_RULES
        }
    assert got == expected
