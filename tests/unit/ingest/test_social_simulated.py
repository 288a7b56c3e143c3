"""`vitrina simulate --domain social` then `vitrina ingest --domain social`: every injected fault
is quarantined with its reason (or counted as a duplicate), and re-ingesting changes nothing."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import orjson
import pyarrow as pa
import pytest

from tests.support.digests import table_digests
from vitrina.cli.query_cmd import run_query
from vitrina.config import Settings, load_settings
from vitrina.contracts.registry import DOMAINS
from vitrina.ingest.run import IngestReport, run_ingest
from vitrina.ingest.tables import TABLES
from vitrina.pipelines import simulate
from vitrina.pipelines.simulate import fault_manifest_path

START_MS = 1_793_577_600_000  # 2026-11-02T00:00:00Z


@pytest.fixture(scope="module")
def ingested(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Settings, IngestReport, list[dict[str, object]]]:
    settings = load_settings(
        environ={},
        data_dir=tmp_path_factory.mktemp("social"),
        overrides={
            "simulate": {"scale": "tiny", "start": "2026-11-02T00:00:00Z", "duration": "6h"},
            "faults": {"enabled": True, "violation_rate": 0.01},
        },
    )
    simulate.run(settings, domain="social")
    manifest = [
        orjson.loads(line) for line in fault_manifest_path(settings).read_bytes().splitlines()
    ]
    return settings, run_ingest(settings, domain="social"), manifest


def _quarantine(settings: Settings) -> list[dict[str, object]]:
    return run_query(
        settings, "warehouse", "select entity, origin, payload, reasons from raw.quarantine"
    ).to_pylist()


def test_every_kind_of_fault_is_injected(
    ingested: tuple[Settings, IngestReport, list[dict[str, object]]],
) -> None:
    _, _, manifest = ingested
    kinds = Counter(str(e["kind"]) for e in manifest)
    assert all(kinds[k] > 0 for k in ("duplicate", "late", "malformed", "violation")), kinds
    tables = {e["table"] for e in manifest if "table" in e}
    assert {"social_friendships", "social_comments", "social_donations"} <= tables


def test_every_bad_event_is_quarantined_where_the_manifest_says(
    ingested: tuple[Settings, IngestReport, list[dict[str, object]]],
) -> None:
    settings, _, manifest = ingested
    found = {(r["entity"], r["origin"]): str(r["reasons"]) for r in _quarantine(settings)}
    bad = [e for e in manifest if e["kind"] in ("malformed", "violation") and "topic" in e]
    assert bad
    for e in bad:
        reason = found.get((e["topic"], f"{e['file']}:{e['line']}"))
        assert reason, e
        if e["kind"] == "malformed":
            assert reason.startswith("malformed JSON"), (e, reason)
    # Late events are valid records: none of them is quarantined.
    late = {(e["topic"], f"{e['file']}:{e['line']}") for e in manifest if e["kind"] == "late"}
    assert late and not late & set(found)


def test_every_bad_snapshot_row_is_quarantined_with_a_reason(
    ingested: tuple[Settings, IngestReport, list[dict[str, object]]],
) -> None:
    settings, _, manifest = ingested
    rows = [r for r in _quarantine(settings) if str(r["origin"]).startswith("source:")]
    for e in (e for e in manifest if "table" in e):
        # The manifest names the row by its key: a mapping of the key's fields, or the value
        # of the table's first field (its one-column key).
        key = e["key"]
        fields = key if isinstance(key, dict) else {TABLES[str(e["table"])].names[0]: key}
        hits = [
            r
            for r in rows
            if r["entity"] == e["table"]
            and all(
                orjson.loads(str(r["payload"])).get(f) == _as_text(str(e["table"]), f, v)
                for f, v in fields.items()
            )
        ]
        assert hits and all(str(h["reasons"]) for h in hits), e


def _as_text(entity: str, field: str, value: object) -> str:
    """A key value of the manifest as the quarantine payload quotes it (the raw layer's text)."""
    if dict(TABLES[entity].columns)[field] == pa.timestamp("ms"):  # manifest: ms since epoch
        ms = int(value)  # type: ignore[call-overload]
        return f"{datetime.fromtimestamp(ms // 1000, UTC):%Y-%m-%dT%H:%M:%S}.{ms % 1000:03d}Z"
    return str(value)


def test_duplicates_are_dropped_and_counted(
    ingested: tuple[Settings, IngestReport, list[dict[str, object]]],
) -> None:
    settings, report, manifest = ingested
    injected = Counter(str(e["topic"]) for e in manifest if e["kind"] == "duplicate")
    for topic, n in injected.items():
        assert report.counts(topic).duplicates == n, topic
    for entity in ("social_views", "social_ad_impressions"):
        counts = report.counts(entity)
        assert counts.read == counts.loaded + counts.duplicates + counts.quarantined
        clean = run_query(settings, "warehouse", f"select count(*) as n from clean.{entity}")
        assert clean.to_pylist()[0]["n"] == counts.loaded > 0


def test_reingesting_changes_no_table(
    ingested: tuple[Settings, IngestReport, list[dict[str, object]]],
) -> None:
    settings, _, _ = ingested
    before = table_digests(settings)
    assert before["clean.social_views"][0] > 0
    again = run_ingest(settings, domain="social")  # nothing pending: events stay as they are
    assert again.counts("social_views").read == 0
    assert table_digests(settings) == before
    # Re-reading every slice of the interval and the source again changes nothing either.
    reread = run_ingest(
        settings, domain="social", start_ms=START_MS, end_ms=START_MS + 7 * 3_600_000
    )
    assert reread.counts("social_views").read > 0
    assert table_digests(settings) == before


def test_a_social_run_leaves_the_shop_tables_alone(
    ingested: tuple[Settings, IngestReport, list[dict[str, object]]],
) -> None:
    _, report, _ = ingested
    # (an empty snapshot, such as a tiny world's pinned posts, is not read: nothing to replace)
    read = {e.entity for e in report.entities}
    assert read <= set(DOMAINS["social"]) and len(read) >= 30
