"""The registry of domains and their contracts: the one list every layer reads.

Adding a domain means adding its ``vitrina.contracts.<name>`` package to :data:`REGISTRY`;
``contract_for``, the validators and ``vitrina contracts`` cover every registered domain.
The pipeline (the simulator's ``--domain`` choices, ingest's tables, the OLTP source, dbt's
sources) reads :data:`PIPELINE_DOMAINS`: the registered domains declared ``pipeline=True``.
"""

from __future__ import annotations

from typing import Final

from vitrina.contracts import clickstream, shop, social
from vitrina.contracts.base import Contract, EntityKind
from vitrina.contracts.domain import Domain
from vitrina.contracts.rules import TableRule
from vitrina.errors import UsageError

__all__ = [
    "DOMAINS",
    "ENTITIES",
    "PIPELINE_DOMAINS",
    "PIPELINE_ENTITIES",
    "REGISTRY",
    "TABLE_RULES",
    "contract_for",
    "domain_for",
    "entities_of",
    "pipeline_domains",
]

# Order matters only for listings: the events of clickstream come before those of the shop.
REGISTRY: Final[dict[str, Domain]] = {
    d.name: d for d in (clickstream.DOMAIN, shop.DOMAIN, social.DOMAIN)
}

# The domains simulate, ingest, the OLTP source, dbt and `vitrina run` handle today.
PIPELINE_DOMAINS: Final[tuple[str, ...]] = tuple(n for n, d in REGISTRY.items() if d.pipeline)

_KINDS: Final[tuple[EntityKind, ...]] = ("snapshot", "event")

# Snapshots first, then events: the order ingest loads them in.
ENTITIES: Final[dict[str, type[Contract]]] = {
    m.entity: m
    for kind in _KINDS
    for d in REGISTRY.values()
    for m in d.entities
    if m.entity_kind == kind
}

_names = [m.entity for d in REGISTRY.values() for m in d.entities]
if len(set(_names)) != len(_names):  # a table name must say which domain it belongs to
    raise ValueError(f"entity names repeat across domains: {sorted(_names)}")

PIPELINE_ENTITIES: Final[dict[str, type[Contract]]] = {
    e: m for e, m in ENTITIES.items() if m.domain in PIPELINE_DOMAINS
}

DOMAINS: Final[dict[str, tuple[str, ...]]] = {
    name: tuple(e for e, m in ENTITIES.items() if m.domain == name) for name in REGISTRY
}

TABLE_RULES: Final[tuple[TableRule, ...]] = tuple(
    r for d in REGISTRY.values() for r in d.table_rules
)


def contract_for(entity: str) -> type[Contract]:
    """The contract of an entity; an unknown name is a usage error naming the allowed ones."""
    try:
        return ENTITIES[entity]
    except KeyError:
        raise UsageError(f"unknown entity {entity!r} (allowed: {', '.join(ENTITIES)})") from None


def domain_for(name: str) -> Domain:
    """A domain by name; an unknown name is a usage error naming the allowed ones."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise UsageError(f"unknown domain {name!r} (allowed: {', '.join(REGISTRY)})") from None


def entities_of(kind: EntityKind, domains: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Entity names of one kind, in :data:`ENTITIES` order, of some domains.

    By default those of :data:`PIPELINE_DOMAINS`: the OLTP source and ingest read this.
    """
    chosen = PIPELINE_DOMAINS if domains is None else domains
    return tuple(e for e, m in ENTITIES.items() if m.entity_kind == kind and m.domain in chosen)


# Domains that come with another when ingest or `vitrina run` is given one: the shop's
# clickstream is part of the shop's pipeline (top products need clicks and orders).
_COMES_WITH: Final[dict[str, tuple[str, ...]]] = {"shop": ("clickstream",)}


def pipeline_domains(domain: str) -> tuple[str, ...]:
    """The pipeline domains a ``--domain`` value of ingest and run names, in registry order.

    ``all`` is every pipeline domain; ``shop`` is the shop with its clickstream; any other
    is that domain. An unknown name, or a domain without a pipeline, is a usage error.
    """
    if domain == "all":
        return PIPELINE_DOMAINS
    if domain not in PIPELINE_DOMAINS:
        allowed = ", ".join((*PIPELINE_DOMAINS, "all"))
        raise UsageError(f"--domain: unknown domain {domain!r} (allowed: {allowed})")
    chosen = {domain, *_COMES_WITH.get(domain, ())}
    return tuple(d for d in PIPELINE_DOMAINS if d in chosen)
