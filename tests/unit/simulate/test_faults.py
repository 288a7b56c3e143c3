"""Every injected fault is listed in the manifest, and every listed fault is caught."""

from __future__ import annotations

from collections import Counter

import orjson
import polars as pl
import pytest

from tests.support.simulation import START_MS, Sim
from vitrina.contracts import parse_jsonl, validate_table, validate_world

LATENESS_MS, SIZE_MS, HOP_MS = 30_000, 300_000, 60_000


def _manifest(sim: Sim) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in (sim.root / "faults.jsonl").read_bytes().splitlines()]


def _by_kind(sim: Sim, kind: str, topic: str | None = None) -> list[dict[str, object]]:
    return [
        e
        for e in _manifest(sim)
        if e["kind"] == kind and (topic is None or e.get("topic") == topic)
    ]


def test_every_kind_is_injected(faulty: Sim) -> None:
    kinds = Counter((e["kind"], e.get("topic", e.get("table"))) for e in _manifest(faulty))
    for kind in ("duplicate", "late", "malformed", "violation"):
        assert kinds[(kind, "clicks")] > 5, kinds
    for table in ("orders", "reviews", "users"):
        assert kinds[("violation", table)] >= 1, kinds
    assert faulty.report.faults == dict(Counter(e["kind"] for e in _manifest(faulty)))


@pytest.mark.parametrize("topic", ["clicks", "registrations"])
def test_malformed_lines_are_caught_where_listed(faulty: Sim, topic: str) -> None:
    listed = {(e["file"], e["line"]) for e in _by_kind(faulty, "malformed", topic)}
    caught = set()
    for f in faulty.log.list(topic):
        bad = parse_jsonl(faulty.log.read(f), topic, origin=f.name).bad
        caught |= {(f.name, line) for line in bad["_line"]}
        assert bad["reason"].str.starts_with("malformed JSON").all()
    assert caught == listed


@pytest.mark.parametrize("topic", ["clicks", "registrations"])
def test_violations_are_caught_with_their_reason(faulty: Sim, topic: str) -> None:
    listed = {(e["file"], e["line"]): e["detail"] for e in _by_kind(faulty, "violation", topic)}
    caught: dict[tuple[str, int], list[str]] = {}
    for f in faulty.log.list(topic):
        frame = parse_jsonl(faulty.log.read(f), topic, origin=f.name).frame
        invalid = validate_table(topic, frame).invalid
        for line, reasons in zip(invalid["_line"], invalid["reasons"], strict=True):
            caught[(f.name, line)] = list(reasons)
    assert set(caught) == set(listed)
    field_of = {
        "event_type": "event_type",
        "product_id": "product_id",
        "ts": "ts",
        "user_id": "user_id",
        "loyalty_status": "loyalty_status",
        "email": "email",
    }
    for key, detail in listed.items():
        field = field_of[str(detail).split(" ", 1)[0]]
        assert any(f"{topic}.{field}" in r for r in caught[key]), (detail, caught[key])


def test_duplicates_repeat_an_earlier_event_id(faulty: Sim) -> None:
    seen: set[str] = set()
    repeats: set[tuple[str, int]] = set()
    for f in faulty.log.list("clicks"):
        frame = parse_jsonl(faulty.log.read(f), "clicks", origin=f.name).frame
        for line, event_id in zip(frame["_line"], frame["event_id"], strict=True):
            if event_id in seen:
                repeats.add((f.name, line))
            seen.add(event_id)
    listed = {(e["file"], e["line"]) for e in _by_kind(faulty, "duplicate", "clicks")}
    assert repeats == listed


def test_late_events_are_behind_the_watermark(faulty: Sim) -> None:
    """Judged as the stream does: watermark = max event time before it − lateness, in arrival order."""
    rows = []
    for f in faulty.log.list("clicks"):
        frame = validate_table(
            "clicks", parse_jsonl(faulty.log.read(f), "clicks", origin=f.name).frame
        ).valid
        ms = frame["ts"].dt.epoch("ms")
        rows += [(f.name, line, t) for line, t in zip(frame["_line"], ms, strict=True)]
    late: set[tuple[str, int]] = set()
    max_seen = None
    for name, line, ts in rows:
        if max_seen is not None:
            last_window_end = ts // HOP_MS * HOP_MS + SIZE_MS
            if last_window_end <= max_seen - LATENESS_MS:
                late.add((name, line))
        max_seen = ts if max_seen is None else max(max_seen, ts)
    end_ms = START_MS + 6 * 3_600_000
    listed = {
        (e["file"], e["line"])
        for e in _by_kind(faulty, "late", "clicks")
        if int(e["ts_ms"]) < end_ms - 1_200_000
    }
    assert listed and listed <= late
    # and the clean stream is in order: nothing else is late
    all_late = {(e["file"], e["line"]) for e in _by_kind(faulty, "late", "clicks")}
    assert late <= all_late


def test_oltp_violations_are_caught_by_the_contracts(faulty: Sim) -> None:
    checked = validate_world(faulty.tables)
    keys = {"orders": "order_id", "reviews": "review_id", "users": "user_id"}
    for table, key in keys.items():
        listed = {int(e["key"]) for e in _by_kind(faulty, "violation") if e.get("table") == table}  # type: ignore[arg-type]
        flagged = set(checked[table].invalid[key].to_list())
        assert listed and flagged == listed, (table, listed ^ flagged)
    reasons = (
        checked["orders"].invalid.select(pl.col("reasons").list.join("; ")).to_series().to_list()
    )
    assert all("total_amount" in r or "delivery_date" in r for r in reasons)
