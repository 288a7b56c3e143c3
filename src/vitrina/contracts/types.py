"""Field types of the contracts (ids, money, UTC times, e-mail), alike in pydantic and polars."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from vitrina.timeutil import END_INSTANT_MS, INSTANT_RANGE, MIN_INSTANT_MS

__all__ = [
    "DATE_PATTERN",
    "DEVICES",
    "EMAIL_PATTERN",
    "END_INSTANT",
    "EVENT_TYPES",
    "FIRST_INSTANT",
    "LOYALTY_STATUSES",
    "MONEY_MAX",
    "ORDER_STATUSES",
    "ORDER_STATUS_ALIASES",
    "OUTSIDE_RANGE",
    "TIMESTAMP_PATTERN",
    "DateOrTimestamp",
    "Device",
    "Email",
    "EventType",
    "Kind",
    "LoyaltyStatus",
    "Money",
    "Name",
    "NonNegativeInt",
    "OrderStatus",
    "Phone",
    "PositiveId",
    "Quantity",
    "Rating",
    "Text",
    "Timestamp",
    "Token",
]

LOYALTY_STATUSES: Final = ("Gold", "Silver", "Bronze")
ORDER_STATUS_ALIASES: Final = {"canceled": "cancelled"}
EVENT_TYPES: Final = ("view", "click", "add_to_cart", "purchase")
DEVICES: Final = ("desktop", "mobile", "tablet")

LoyaltyStatus = Literal["Gold", "Silver", "Bronze"]
OrderStatus = Literal[
    "pending",
    "paid",
    "shipped",
    "delivered",
    "cancelled",
    "processing",
    "completed",
    "returned",
    "failed",
]
# The simulator uses the first five; exports also carry the rest (ingest folds case and maps
# the spellings in ORDER_STATUS_ALIASES onto these, so each status has one spelling).
ORDER_STATUSES: Final[tuple[str, ...]] = get_args(OrderStatus)
EventType = Literal["view", "click", "add_to_cart", "purchase"]
Device = Literal["desktop", "mobile", "tablet"]

# One regex dialect on both sides: pydantic and polars both run Rust's `regex` crate.
# Digits are [0-9]: `\d` there (and in Python) also matches other scripts' digits.
TIMESTAMP_PATTERN: Final = (
    r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?Z$"
)
DATE_PATTERN: Final = r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$"
EMAIL_PATTERN: Final = r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$"
PHONE_PATTERN: Final = r"^[0-9+()./\- x]+$"
# Decimal(12, 2) holds values below 10**10.
MONEY_MAX: Final = Decimal("9999999999.99")
NUMBER_TEXT: Final = r"^-?[0-9]+(\.[0-9]+)?([eE][+\-]?[0-9]+)?$"

# Timestamps and dates lie in the accepted range of instants (vitrina.timeutil), half-open.
FIRST_INSTANT: Final = datetime.fromtimestamp(MIN_INSTANT_MS / 1000, tz=UTC)
END_INSTANT: Final = datetime.fromtimestamp(END_INSTANT_MS / 1000, tz=UTC)
OUTSIDE_RANGE: Final = f"outside the accepted range of instants {INSTANT_RANGE}"

_TS_RE = re.compile(TIMESTAMP_PATTERN)
_NUMBER_RE = re.compile(NUMBER_TEXT)
_DATE_RE = re.compile(DATE_PATTERN)


@dataclass(frozen=True)
class Kind:
    """How a field is typed and checked in batch: int, str, money, timestamp, date_or_timestamp."""

    name: Literal["int", "str", "money", "timestamp", "date_or_timestamp"]


def _in_range(value: datetime) -> datetime:
    if not FIRST_INSTANT <= value < END_INSTANT:
        raise PydanticCustomError(
            "range",
            "{value} is " + OUTSIDE_RANGE,
            {"value": value.isoformat().replace("+00:00", "Z")},
        )
    return value


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:  # typed sources (DuckDB TIMESTAMP) carry naive UTC
        return value.replace(tzinfo=UTC)
    if value.utcoffset() != UTC.utcoffset(None):
        raise PydanticCustomError("format", "not a UTC timestamp: {value}", {"value": str(value)})
    return value.astimezone(UTC)


def _parse_iso_z(text: str) -> datetime:
    head, _, frac = text[:-1].partition(".")
    micros = (frac + "000000")[:6] if frac else "000000"
    try:
        return datetime.fromisoformat(f"{head}.{micros}+00:00")
    except ValueError:
        raise PydanticCustomError(
            "format", "not a valid instant: {value}", {"value": text}
        ) from None


def _check_money_text(value: Any) -> Any:
    # Decimal() alone would also take " 1_000", "+5", "NaN" or other scripts' digits.
    if isinstance(value, str) and not _NUMBER_RE.fullmatch(value):
        raise PydanticCustomError(
            "type", "expected a decimal number, got {value}", {"value": value[:40]}
        )
    return value


def _check_timestamp(value: Any) -> datetime:
    if isinstance(value, datetime):
        return _as_utc(value)
    if not isinstance(value, str):
        raise PydanticCustomError(
            "type", "expected an ISO-8601 string, got {value}", {"value": repr(value)}
        )
    if not _TS_RE.fullmatch(value):
        raise PydanticCustomError(
            "format", "not an ISO-8601 UTC timestamp ending in Z: {value}", {"value": value[:40]}
        )
    return _parse_iso_z(value)


def _check_date_or_timestamp(value: Any) -> datetime:
    if isinstance(value, datetime):
        return _as_utc(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if not isinstance(value, str):
        raise PydanticCustomError(
            "type", "expected an ISO-8601 string, got {value}", {"value": repr(value)}
        )
    if _DATE_RE.fullmatch(value):
        try:
            d = date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "format", "not a valid date: {value}", {"value": value}
            ) from None
        return datetime(d.year, d.month, d.day, tzinfo=UTC)
    if not _TS_RE.fullmatch(value):
        raise PydanticCustomError(
            "format",
            "not an ISO-8601 date or UTC timestamp ending in Z: {value}",
            {"value": value[:40]},
        )
    return _parse_iso_z(value)


_TS_SCHEMA: Final = {
    "type": "string",
    "format": "date-time",
    "pattern": TIMESTAMP_PATTERN,
    "description": "ISO-8601 instant in UTC ending in Z, e.g. 2026-11-22T13:00:00.123Z, in "
    + INSTANT_RANGE,
}
_DATE_OR_TS_SCHEMA: Final = {
    "type": "string",
    "anyOf": [
        {"format": "date", "pattern": DATE_PATTERN},
        {"format": "date-time", "pattern": TIMESTAMP_PATTERN},
    ],
    "description": "ISO-8601 date (2026-11-22) or UTC instant ending in Z, in " + INSTANT_RANGE,
}

PositiveId = Annotated[int, Kind("int"), Field(strict=True, gt=0)]
NonNegativeInt = Annotated[int, Kind("int"), Field(strict=True, ge=0)]
Quantity = Annotated[int, Kind("int"), Field(strict=True, ge=1)]
Rating = Annotated[int, Kind("int"), Field(strict=True, ge=1, le=5)]
Money = Annotated[
    Decimal,
    Kind("money"),
    BeforeValidator(_check_money_text),
    Field(ge=0, le=MONEY_MAX, decimal_places=2),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": float(MONEY_MAX)},
                {"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$"},
            ],
            "description": "decimal with at most 2 places, as a JSON number or string",
        }
    ),
]
Timestamp = Annotated[
    datetime,
    Kind("timestamp"),
    BeforeValidator(_check_timestamp),
    AfterValidator(_in_range),
    WithJsonSchema(_TS_SCHEMA),
]
DateOrTimestamp = Annotated[
    datetime,
    Kind("date_or_timestamp"),
    BeforeValidator(_check_date_or_timestamp),
    AfterValidator(_in_range),
    WithJsonSchema(_DATE_OR_TS_SCHEMA),
]
Token = Annotated[str, Kind("str"), Field(strict=True, min_length=1, max_length=64)]
Name = Annotated[str, Kind("str"), Field(strict=True, min_length=1, max_length=200)]
Text = Annotated[str, Kind("str"), Field(strict=True, max_length=10_000)]
Email = Annotated[str, Kind("str"), Field(strict=True, max_length=254, pattern=EMAIL_PATTERN)]
Phone = Annotated[
    str, Kind("str"), Field(strict=True, min_length=3, max_length=40, pattern=PHONE_PATTERN)
]
