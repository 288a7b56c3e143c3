"""Every simulated social record validates against the social contracts; every injected fault is caught.

Uses the batch validators the ingest runs (``parse_jsonl``, ``validate_table``,
``validate_world``) on the event lines and on the snapshot tables.
"""

from __future__ import annotations

import polars as pl

from tests.unit.simulate.social_sim import SocialSim, social_day
from tests.unit.simulate.test_social_faults import faulty
from vitrina.contracts import parse_jsonl, validate_table, validate_world
from vitrina.contracts.registry import DOMAINS
from vitrina.simulate.social import simulator


def _checked(sim: SocialSim) -> tuple[dict[str, set[tuple[str, int]]], dict[str, pl.DataFrame]]:
    """Per topic, the (file, line) the validators reject; and every table, events included."""
    rejected: dict[str, set[tuple[str, int]]] = {}
    tables = {name: sim.table(name) for name in sim.arrow}
    for topic in simulator().topics:
        rejected[topic], frames = set(), []
        for f in sim.log.list(topic):
            parsed = parse_jsonl(sim.log.read(f), topic, origin=f.name)
            checked = validate_table(topic, parsed.frame)
            rejected[topic] |= {(f.name, line) for line in parsed.bad["_line"]}
            rejected[topic] |= {(f.name, line) for line in checked.invalid["_line"]}
            frames.append(checked.valid)
        tables[topic] = pl.concat(frames)
    return rejected, tables


def test_every_entity_is_simulated() -> None:
    sim = social_day("tiny")
    assert set(sim.arrow) | set(simulator().topics) == set(DOMAINS["social"])


def test_clean_records_all_validate() -> None:
    for scale in ("tiny", "classic"):
        rejected, tables = _checked(social_day(scale))
        assert all(not lines for lines in rejected.values()), scale
        invalid = {
            k: v.invalid.height for k, v in validate_world(tables).items() if v.invalid.height
        }
        assert invalid == {}, (scale, invalid)


def test_every_injected_fault_is_caught() -> None:
    sim = faulty()
    rejected, tables = _checked(sim)
    for topic, lines in rejected.items():
        listed = {
            (e["file"], e["line"])
            for e in sim.manifest
            if e.get("topic") == topic and e["kind"] in ("malformed", "violation")
        }
        assert lines == listed, topic
    checked = validate_world(tables)
    for table in {str(e["table"]) for e in sim.manifest if "table" in e}:
        listed = sum(1 for e in sim.manifest if e.get("table") == table)
        assert checked[table].invalid.height == listed > 0, table
