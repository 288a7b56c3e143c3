"""The contract base class, references, and rules within one record (pydantic and batch)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl
from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

__all__ = ["Contract", "Ref", "RowRule"]


@dataclass(frozen=True)
class RowRule:
    """A rule across fields of one record, stated twice side by side: for one model and for a batch.

    ``batch`` receives typed column expressions (ids Int64, money as Int64 cents, times
    Datetime) and returns (fails, message) expressions; ``check`` receives a validated model and
    returns a message or None. The rule runs only when every field in ``inputs`` is valid.
    """

    field: str
    rule: str
    inputs: tuple[str, ...]
    batch: Callable[[Mapping[str, pl.Expr]], tuple[pl.Expr, pl.Expr]]
    check: Callable[[Any], str | None]


@dataclass(frozen=True)
class Ref:
    """A reference: ``field`` names an existing row of one of ``targets`` ((entity, column)).

    Checked by ``validate_world`` only when at least one target table is given.
    """

    field: str
    targets: tuple[tuple[str, str], ...]


class Contract(BaseModel):
    """Base of every entity and event contract."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=False)

    entity: ClassVar[str] = ""
    domain: ClassVar[str] = ""
    primary_key: ClassVar[str] = ""
    row_rules: ClassVar[tuple[RowRule, ...]] = ()
    references: ClassVar[tuple[Ref, ...]] = ()
    unique: ClassVar[tuple[str, ...]] = ()  # besides the primary key

    @model_validator(mode="after")
    def _check_row_rules(self) -> Contract:
        for rule in type(self).row_rules:
            message = rule.check(self)
            if message is not None:
                raise PydanticCustomError(
                    rule.rule, "{field}: {text}", {"field": rule.field, "text": message}
                )
        return self
