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

    ``prefix`` starts every entity name of the domain, so that names stay unique across
    domains and work as table names (the social domain's ``users`` is ``social_users``); the
    shop and clickstream have none. The name without it is the entity's *local name*: the
    folder under ``vitrina ingest --from DIR`` and the name the domain's own docs use.

    ``pipeline`` says whether simulate, ingest, the OLTP source, dbt and ``vitrina run``
    handle the domain yet. A domain whose contracts come first is registered with
    ``pipeline=False``: ``contract_for``, the validators and ``vitrina contracts`` cover it,
    and every pipeline list (:data:`vitrina.contracts.registry.PIPELINE_DOMAINS`) leaves it out.
    """

    name: str
    description: str
    entities: tuple[type[Contract], ...]
    table_rules: tuple[TableRule, ...] = ()
    prefix: str = ""
    pipeline: bool = True

    def __post_init__(self) -> None:
        for model in self.entities:
            if model.domain != self.name:
                raise ValueError(f"{model.__name__}.domain is {model.domain!r}, not {self.name!r}")
            if not model.entity.startswith(self.prefix) or model.entity == self.prefix:
                raise ValueError(f"{model.__name__}.entity {model.entity!r} lacks {self.prefix!r}")

    def names(self, kind: EntityKind | None = None) -> tuple[str, ...]:
        """The entity names of the domain, of one kind (snapshot or event) or all."""
        return tuple(m.entity for m in self.entities if kind is None or m.entity_kind == kind)

    def local_name(self, entity: str) -> str:
        """An entity's name within the domain (``social_users`` -> ``users``)."""
        return entity.removeprefix(self.prefix)

    def entity_named(self, local: str) -> str:
        """The entity (registry and table name) of a local name (``users`` -> ``social_users``)."""
        return f"{self.prefix}{local}"
