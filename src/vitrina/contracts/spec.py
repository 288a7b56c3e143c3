"""Field specs derived from the pydantic models: the batch validator reads its rules from here."""

from __future__ import annotations

import types
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic.fields import FieldInfo

from vitrina.contracts.base import Contract
from vitrina.contracts.social.types import PATTERN_NAMES as SOCIAL_PATTERN_NAMES
from vitrina.contracts.types import DATE_PATTERN, EMAIL_PATTERN, PHONE_PATTERN, Kind

__all__ = ["FieldSpec", "field_specs"]

KindName = Literal["int", "str", "money", "timestamp", "date_or_timestamp", "enum", "bool"]

_PATTERN_NAMES = {
    EMAIL_PATTERN: "an e-mail address",
    PHONE_PATTERN: "a phone number",
    DATE_PATTERN: "a date",
    **SOCIAL_PATTERN_NAMES,
}


@dataclass(frozen=True)
class FieldSpec:
    """What a field must hold, in terms the batch validator can turn into polars expressions."""

    name: str
    kind: KindName
    required: bool
    nullable: bool
    ge: Decimal | None = None
    gt: Decimal | None = None
    le: Decimal | None = None
    lt: Decimal | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    decimal_places: int | None = None
    values: tuple[str, ...] = ()

    @property
    def pattern_name(self) -> str:
        """How a message names the pattern ('an e-mail address')."""
        return _PATTERN_NAMES.get(self.pattern or "", f"the pattern {self.pattern}")


def _flatten(metadata: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in metadata:
        if isinstance(item, FieldInfo):
            out += _flatten(list(item.metadata))
        else:
            out.append(item)
    return out


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any], bool]:
    nullable = False
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(get_args(annotation))
        if len(args) != 1:
            raise TypeError(f"unsupported union {annotation!r}")
        annotation = args[0]
    if get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        return base, metadata + _flatten(extra), nullable
    return annotation, metadata, nullable


def _spec(name: str, info: FieldInfo) -> FieldSpec:
    annotation, metadata, nullable = _unwrap(info.annotation, _flatten(list(info.metadata)))
    bounds: dict[str, Any] = {}
    kind: KindName | None = None
    values: tuple[str, ...] = ()
    for item in metadata:
        if isinstance(item, Kind):
            kind = item.name
        elif isinstance(item, Ge):
            bounds["ge"] = Decimal(str(item.ge))
        elif isinstance(item, Gt):
            bounds["gt"] = Decimal(str(item.gt))
        elif isinstance(item, Le):
            bounds["le"] = Decimal(str(item.le))
        elif isinstance(item, Lt):
            bounds["lt"] = Decimal(str(item.lt))
        elif isinstance(item, MinLen):
            bounds["min_length"] = item.min_length
        elif isinstance(item, MaxLen):
            bounds["max_length"] = item.max_length
        else:
            for attr in ("pattern", "decimal_places"):
                if getattr(item, attr, None) is not None:
                    bounds[attr] = getattr(item, attr)
    if get_origin(annotation) is Literal:
        kind, values = "enum", tuple(str(v) for v in get_args(annotation))
    elif kind is None:
        kind = {int: "int", str: "str", bool: "bool"}.get(annotation)  # type: ignore[assignment]
        if kind is None:
            raise TypeError(f"field {name}: no batch kind for {annotation!r}")
    return FieldSpec(
        name=name,
        kind=kind,
        required=info.is_required(),
        nullable=nullable,
        values=values,
        **bounds,
    )


@cache
def field_specs(model: type[Contract]) -> tuple[FieldSpec, ...]:
    """The specs of a contract's fields, in declaration order."""
    return tuple(_spec(name, info) for name, info in model.model_fields.items())
