"""The pydantic contracts: field names, good records, and each rule rejecting a bad value."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import orjson
import pytest
from pydantic import ValidationError

import vitrina.contracts as contracts
from tests.support.records import GOOD, record
from vitrina.contracts import ENTITIES, Order, OrderDetail, User, contract_for
from vitrina.contracts.registry import PIPELINE_ENTITIES
from vitrina.contracts.social import DOMAIN as SOCIAL
from vitrina.errors import UsageError

FIELDS = {
    "users": [
        "user_id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "registration_date",
        "loyalty_status",
    ],
    "categories": ["category_id", "name", "parent_category_id"],
    "products": [
        "product_id",
        "name",
        "description",
        "category_id",
        "price",
        "stock_quantity",
        "creation_date",
    ],
    "orders": ["order_id", "user_id", "order_date", "total_amount", "status", "delivery_date"],
    "order_details": [
        "order_detail_id",
        "order_id",
        "product_id",
        "quantity",
        "price_per_unit",
        "total_price",
    ],
    "reviews": ["review_id", "user_id", "product_id", "rating", "review_text", "created_at"],
    "loyalty_points": ["loyalty_id", "user_id", "points", "reason", "created_at"],
    "clicks": ["event_id", "user_id", "session_id", "product_id", "event_type", "ts", "device"],
    "registrations": [
        "event_id",
        "user_id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "registration_date",
        "loyalty_status",
        "ts",
    ],
}


def test_registry_holds_every_entity_with_the_architecture_field_names() -> None:
    shop_and_clicks = [e for e, m in PIPELINE_ENTITIES.items() if m.domain != "social"]
    assert shop_and_clicks == list(FIELDS)  # the social ones: test_social_models
    for name, fields in FIELDS.items():
        assert list(ENTITIES[name].model_fields) == fields
        assert ENTITIES[name].entity == name


def test_public_api_is_curated_and_importable() -> None:
    assert contracts.__all__ == [
        "DEVICES", "DOMAINS", "ENTITIES", "EVENT_TYPES", "LOYALTY_STATUSES", "ORDER_STATUSES",
        "Category", "Click", "Contract", "LoyaltyPoints", "Order", "OrderDetail", "ParsedBatch",
        "Product", "Ref", "Registration", "Review", "RowRule", "User", "Validation",
        "contract_for", "mark_late", "output_schema", "parse_jsonl", "validate_table", "validate_world",
    ]  # fmt: skip
    for name in contracts.__all__:
        assert getattr(contracts, name) is not None
    domains = dict(contracts.DOMAINS)
    assert domains.pop("social") == SOCIAL.names("snapshot") + SOCIAL.names("event")
    assert domains == {
        "shop": ("users", "categories", "products", "orders", "order_details", "reviews",
                 "loyalty_points", "registrations"),
        "clickstream": ("clicks",),
    }  # fmt: skip


@pytest.mark.parametrize("entity", list(GOOD))
def test_good_record_passes_from_json(entity: str) -> None:
    model = ENTITIES[entity].model_validate_json(orjson.dumps(GOOD[entity]))
    key = ENTITIES[entity].key_columns()
    assert [model.model_dump()[k] for k in key] == [
        ENTITIES[entity].model_validate(GOOD[entity]).model_dump()[k] for k in key
    ]
    assert all(k in GOOD[entity] for k in key)


def test_unknown_entity_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown entity 'nope'"):
        contract_for("nope")


def test_times_are_utc_and_a_date_field_takes_a_date_or_a_timestamp() -> None:
    user = User.model_validate_json(orjson.dumps(record("users", registration_date="2026-01-05")))
    assert user.registration_date == datetime(2026, 1, 5, tzinfo=UTC)
    user = User.model_validate_json(
        orjson.dumps(record("users", registration_date="2026-01-05T07:08:09.5Z"))
    )
    assert user.registration_date == datetime(2026, 1, 5, 7, 8, 9, 500_000, tzinfo=UTC)
    # Typed values from a database: aware or naive (taken as UTC) datetimes, dates.
    user = User.model_validate(record("users", registration_date=date(2026, 1, 5)))
    assert user.registration_date == datetime(2026, 1, 5, tzinfo=UTC)
    user = User.model_validate(record("users", registration_date=datetime(2026, 1, 5, 1, 2)))
    assert user.registration_date.tzinfo is UTC


def test_money_is_a_json_number_or_string_with_two_places() -> None:
    line = OrderDetail.model_validate_json(orjson.dumps(record("order_details")))
    assert line.price_per_unit == Decimal("19.99")
    assert line.total_price == Decimal("39.98")
    with pytest.raises(ValidationError, match="decimal"):
        OrderDetail.model_validate_json(
            orjson.dumps(record("order_details", price_per_unit="19.999"))
        )


@pytest.mark.parametrize(
    ("entity", "changes", "field"),
    [
        ("users", {"user_id": 0}, "user_id"),
        ("users", {"user_id": "5"}, "user_id"),
        ("users", {"email": "not-an-email"}, "email"),
        ("users", {"loyalty_status": "Platinum"}, "loyalty_status"),
        ("users", {"registration_date": "2026-01-05T10:00:00+02:00"}, "registration_date"),
        ("reviews", {"rating": 6}, "rating"),
        ("reviews", {"rating": 0}, "rating"),
        ("orders", {"status": "lost"}, "status"),
        ("products", {"price": -1}, "price"),
        ("order_details", {"quantity": 0}, "quantity"),
        ("clicks", {"event_type": "hover"}, "event_type"),
        ("clicks", {"ts": "2026-11-22T13:00:00"}, "ts"),
        ("clicks", {"ts": ...}, "ts"),
    ],
)
def test_each_rule_rejects_a_bad_value(entity: str, changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        ENTITIES[entity].model_validate_json(orjson.dumps(record(entity, **changes)))
    assert [e["loc"][0] for e in info.value.errors()] == [field]


def test_every_failing_field_is_reported_by_pydantic_too() -> None:
    bad = record("users", user_id=-1, email="x", loyalty_status="Tin")
    with pytest.raises(ValidationError) as info:
        User.model_validate_json(orjson.dumps(bad))
    assert {e["loc"][0] for e in info.value.errors()} == {"user_id", "email", "loyalty_status"}


def test_record_rules_line_total_and_delivery_after_order() -> None:
    with pytest.raises(
        ValidationError, match=r"total_price: 40.00 != quantity \* price_per_unit 39.98"
    ):
        OrderDetail.model_validate_json(orjson.dumps(record("order_details", total_price="40.00")))
    # Within one cent is accepted.
    ok = OrderDetail.model_validate_json(orjson.dumps(record("order_details", total_price="39.97")))
    assert ok.total_price == Decimal("39.97")
    with pytest.raises(
        ValidationError, match=r"delivery_date: 2026-01-31T00:00:00\.000Z before order_date"
    ):
        Order.model_validate_json(orjson.dumps(record("orders", delivery_date="2026-01-31")))
