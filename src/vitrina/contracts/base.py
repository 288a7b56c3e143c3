"""The contract base class, references, and rules within one record (pydantic and batch)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, model_validator
from pydantic_core import PydanticCustomError

__all__ = ["Contract", "EntityKind", "LatestPer", "Ref", "RowRule"]

# A snapshot is a table replaced whole on each load (the OLTP source holds one per entity);
# an event is appended to a topic of the event log and grows file by file.
EntityKind = Literal["snapshot", "event"]


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


@dataclass(frozen=True)
class LatestPer:
    """Only the latest record per ``key`` stands: a later one replaces an earlier one.

    "Later" is the larger ``order`` (columns compared in turn, e.g. ``created_at`` then the
    record's id). Replaced records are history, not errors: the validators keep them, and
    :func:`vitrina.contracts.latest.latest_rows` picks the ones that stand.
    """

    key: tuple[str, ...]
    order: tuple[str, ...]


class Contract(BaseModel):
    """Base of every entity and event contract: the one declaration of an entity.

    The fields (names, types, order) and the class variables below are all any other layer
    reads: ingest's tables, the OLTP source's DDL, the simulator's output schema and dbt's
    sources are derived from them. Class variables are named so that no entity field
    (``kind``, ``name``, ...) collides with them.
    """

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=False)

    entity: ClassVar[str] = ""
    domain: ClassVar[str] = ""
    entity_kind: ClassVar[EntityKind] = "snapshot"
    # One column, or a tuple of columns for an entity keyed by a pair (a friendship, a tie).
    primary_key: ClassVar[str | tuple[str, ...]] = ""
    row_rules: ClassVar[tuple[RowRule, ...]] = ()
    references: ClassVar[tuple[Ref, ...]] = ()
    unique: ClassVar[tuple[str, ...]] = ()  # besides the primary key
    latest_per: ClassVar[LatestPer | None] = None

    @classmethod
    def key_columns(cls) -> tuple[str, ...]:
        """The primary key's columns, one or several, in order."""
        key = cls.primary_key
        return (key,) if isinstance(key, str) else key

    @model_validator(mode="after")
    def _check_row_rules(self) -> Contract:
        for rule in type(self).row_rules:
            message = rule.check(self)
            if message is not None:
                raise PydanticCustomError(
                    rule.rule, "{field}: {text}", {"field": rule.field, "text": message}
                )
        return self
