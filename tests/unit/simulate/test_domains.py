"""Each domain's simulator writes its own topics and tables, shaped as its contracts."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.support.simulation import START_MS, Sim
from vitrina.contracts import ENTITIES
from vitrina.contracts.registry import PIPELINE_DOMAINS, REGISTRY, entities_of
from vitrina.eventlog import FileEventLog
from vitrina.simulate.base import SimulationParams, simulator_for
from vitrina.simulate.presets import PRESETS
from vitrina.simulate.run import selected_domains, simulate
from vitrina.source import open_source


def _run(root: Path, domain: str) -> tuple[dict[str, int], dict[str, int], list[str]]:
    log = FileEventLog(str(root / "events"))
    src = open_source(f"duckdb://{root}/source.duckdb")
    try:
        report = simulate(
            SimulationParams(
                seed=2, scale="tiny", start_ms=START_MS, duration_ms=3_600_000, domain=domain
            ),
            sink=log,
            source=src,
        )
    finally:
        src.close()
    topics = (
        sorted(p.name for p in (root / "events").iterdir()) if (root / "events").exists() else []
    )
    return report.events, report.entities, topics


@pytest.mark.parametrize(
    ("domain", "topics", "tables"),
    [
        ("clickstream", ["clicks"], []),
        ("shop", ["registrations"], list(entities_of("snapshot", ("shop",)))),
        (
            "all",
            ["clicks", "registrations", *entities_of("event", ("social",))],
            list(entities_of("snapshot", ("shop", "social"))),
        ),
    ],
)
def test_domain_selects_its_topics_and_source_tables(
    tmp_path: Path, domain: str, topics: list[str], tables: list[str]
) -> None:
    events, entities, written = _run(tmp_path, domain)
    assert list(events) == topics
    assert sorted(entities) == sorted(tables)  # each world writes its tables in its order
    assert set(written) <= set(topics)
    if "clicks" in topics:
        assert events["clicks"] > 0 and written[0] == "clicks"
    if "users" in tables:
        assert entities["users"] >= PRESETS["tiny"].users
        assert entities["categories"] == PRESETS["tiny"].categories


def test_same_clicks_whichever_domains_are_selected(tmp_path: Path) -> None:
    only = FileEventLog(str(tmp_path / "a" / "events"))
    both = FileEventLog(str(tmp_path / "b" / "events"))
    for log, domain in ((only, "clickstream"), (both, "all")):
        simulate(
            SimulationParams(
                seed=4, scale="tiny", start_ms=START_MS, duration_ms=7_200_000, domain=domain
            ),
            sink=log,
        )
    clicks = [b"".join(log.read(f) for f in log.list("clicks")) for log in (only, both)]
    assert clicks[0] == clicks[1] and clicks[0].count(b"\n") > 100


def test_every_domain_has_a_simulator_covering_its_events() -> None:
    assert selected_domains("all") == PIPELINE_DOMAINS
    for name, domain in ((n, REGISTRY[n]) for n in PIPELINE_DOMAINS):
        topics = simulator_for(name).topics
        for entity in domain.names("event"):
            assert topics[entity].entity == entity


def test_event_lines_carry_exactly_the_contract_fields(tiny_day: Sim) -> None:
    for topic in ("clicks", "registrations"):
        first = orjson.loads(tiny_day.topic_bytes(topic).split(b"\n", 1)[0])
        assert list(first) == list(ENTITIES[topic].model_fields)
    for name, df in tiny_day.tables.items():
        assert df.columns == list(ENTITIES[name].model_fields)
