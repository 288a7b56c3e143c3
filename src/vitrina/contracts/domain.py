"""A domain: a named set of entity contracts and the rules across their tables."""

from __future__ import annotations

from dataclasses import dataclass

from vitrina.contracts.base import Contract, EntityKind
from vitrina.contracts.rules import TableRule

__all__ = ["Domain"]


@dataclass(frozen=True)
class Domain:
    """What one ``vitrina.contracts.<name>`` package declares (as its ``DOMAIN``).

    The simulator of the domain lives in ``vitrina.simulate.<name>`` (found by that name);
    ingest, the OLTP source and dbt's sources read the entities from here.
    """

    name: str
    description: str
    entities: tuple[type[Contract], ...]
    table_rules: tuple[TableRule, ...] = ()

    def __post_init__(self) -> None:
        for model in self.entities:
            if model.domain != self.name:
                raise ValueError(f"{model.__name__}.domain is {model.domain!r}, not {self.name!r}")

    def names(self, kind: EntityKind | None = None) -> tuple[str, ...]:
        """The entity names of the domain, of one kind (snapshot or event) or all."""
        return tuple(m.entity for m in self.entities if kind is None or m.entity_kind == kind)
