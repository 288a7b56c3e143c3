"""The simulator's output passes the contracts, and every fault it injects is caught by them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import polars as pl
import pytest

from vitrina.cli import main
from vitrina.contracts import Validation, mark_late, parse_jsonl, validate_world
from vitrina.source import open_source

SHOP = ("users", "categories", "products", "orders", "order_details", "reviews", "loyalty_points")


# A fixed start (a busy afternoon) keeps the test deterministic.
START = "2026-11-02T12:00:00Z"
START_MS = 1_793_620_800_000
END_MS = START_MS + 3 * 3_600_000
LATE_BY_MS = 600_000  # [faults] late_by default


def provable(entry: dict[str, object]) -> bool:
    """A late event near the end of the run may have nothing arriving after it to show it late."""
    return entry["kind"] != "late" or int(entry["ts_ms"]) < END_MS - 2 * LATE_BY_MS  # type: ignore[call-overload]


def simulate(tmp: Path, scale: str, faults: bool) -> Path:
    data = tmp / "data"
    args = [
        "--data-dir",
        str(data),
        "simulate",
        "--seed",
        "11",
        "--scale",
        scale,
        "--start",
        START,
        "--duration",
        "3h",
    ]
    if faults:
        config = tmp / "vitrina.toml"
        config.write_text(
            "[faults]\nduplicate_rate = 0.02\nlate_rate = 0.02\n"
            "malformed_rate = 0.02\nviolation_rate = 0.04\n"
        )
        args = ["--config", str(config), *args, "--faults"]
    assert main(args) == 0
    return data


def load(
    data: Path,
) -> tuple[dict[str, Validation], dict[str, pl.DataFrame], dict[str, pl.DataFrame]]:
    """Validate the OLTP source and every event file together.

    Also returns the malformed lines, and the events marked late in arrival order (files sort
    by arrival time, lines inside a file are in arrival order).
    """
    source = open_source(f"duckdb://{data / 'source.duckdb'}")
    try:
        tables = {name: pl.from_arrow(source.read_table(name)) for name in SHOP}
    finally:
        source.close()
    bad: dict[str, pl.DataFrame] = {}
    for topic in ("clicks", "registrations"):
        frames, bads = [], []
        for path in sorted((data / "events" / topic).rglob("*.jsonl")):
            batch = parse_jsonl(path.read_bytes(), topic, path.name)
            frames.append(batch.frame.with_columns(pl.lit(path.name).alias("_file")))
            bads.append(batch.bad)
        if not frames:  # a quiet run may have no registration in it
            continue
        tables[topic] = pl.concat(frames, how="vertical_relaxed")
        bad[topic] = pl.concat(bads)
    late = {
        topic: mark_late(tables[topic]) for topic in ("clicks", "registrations") if topic in tables
    }
    return validate_world(tables), bad, late  # type: ignore[arg-type]


@pytest.mark.parametrize("scale", ["tiny", "classic"])
def test_clean_simulated_data_passes_every_contract(tmp_path: Path, scale: str) -> None:
    result, bad, late = load(simulate(tmp_path, scale, faults=False))
    assert late["clicks"]["_late"].sum() == 0
    assert {name: v.invalid.height for name, v in result.items()} == dict.fromkeys(result, 0)
    assert bad["clicks"].height == 0
    assert all(b.height == 0 for b in bad.values())
    assert result["users"].valid.height >= 50
    assert result["clicks"].valid.height > 0


def test_every_injected_fault_is_caught(tmp_path: Path) -> None:
    data = simulate(tmp_path, "tiny", faults=True)
    manifest = [
        entry
        for line in (data / "faults" / "manifest.jsonl").read_bytes().splitlines()
        # the social network's faults are checked by tests/unit/ingest/test_social_simulated.py
        if not str((entry := orjson.loads(line)).get("table") or entry["topic"]).startswith(
            "social_"
        )
    ]
    result, bad, late = load(data)
    kinds: dict[str, int] = {}
    for entry in manifest:
        kinds[entry["kind"]] = kinds.get(entry["kind"], 0) + 1
        if provable(entry):
            assert caught(entry, result, bad, late), entry
    assert {"duplicate", "late", "malformed", "violation"} <= kinds.keys()
    # Every injected late event is late; so may be a duplicate copy (it arrives 1 s to 2 min
    # after the original); nothing else is.
    late_ids = {e["event_id"] for e in manifest if e["kind"] == "late"}
    provable_late = {e["event_id"] for e in manifest if e["kind"] == "late" and provable(e)}
    copies = {e["event_id"] for e in manifest if e["kind"] == "duplicate"}
    flagged = set(late["clicks"].filter(pl.col("_late"))["event_id"])
    assert provable_late and provable_late <= flagged <= late_ids | copies
    # And nothing else is flagged: every invalid record or bad line is an injected fault.
    expected: dict[str, int] = {}
    for entry in manifest:
        if entry["kind"] != "late":
            where = entry.get("table") or entry["topic"]
            if entry["kind"] == "malformed":
                where += ".malformed"
            expected[where] = expected.get(where, 0) + 1
    flagged = {name: v.invalid.height for name, v in result.items() if v.invalid.height}
    flagged |= {f"{topic}.malformed": b.height for topic, b in bad.items() if b.height}
    assert flagged == expected


def caught(
    entry: dict[str, Any],
    result: dict[str, Validation],
    bad: dict[str, pl.DataFrame],
    late: dict[str, pl.DataFrame],
) -> bool:
    kind = entry["kind"]
    if "table" in entry:  # a violation in the OLTP source, by primary key
        table = entry["table"]
        key = {"orders": "order_id", "reviews": "review_id", "users": "user_id"}[table]
        return entry["key"] in result[table].invalid[key].to_list()
    topic, where = entry["topic"], (entry["file"], entry["line"])
    if kind == "malformed":
        return where in bad[topic].select("origin", "_line").rows()
    invalid = result[topic].invalid
    hits = invalid.filter((pl.col("_file") == where[0]) & (pl.col("_line") == where[1]))
    if kind == "violation":
        return hits.height == 1
    if kind == "duplicate":
        return hits.height == 1 and any("repeats row" in r for r in hits["reasons"][0])
    # A late event is a valid record, flagged by its time against the watermark.
    valid = result[topic].valid
    return valid.filter(pl.col("event_id") == entry["event_id"]).height >= 1 and (
        where in late[topic].filter(pl.col("_late")).select("_file", "_line").rows()
    )
