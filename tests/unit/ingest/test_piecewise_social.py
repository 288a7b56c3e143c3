"""Social views checked file by file (the post-chronology rule per record) give the same
tables and quarantine reasons as the whole-run path."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.support.digests import table_digests
from vitrina.config import Settings, load_settings
from vitrina.eventlog import open_eventlog
from vitrina.ingest import run_ingest
from vitrina.pipelines import simulate
from vitrina.source import open_source
from vitrina.timeutil import parse_instant_ms
from vitrina.warehouse import open_warehouse

H0 = parse_instant_ms("2026-11-03T00:00:00Z")
_TS = "%Y-%m-%dT%H:%M:%S.%f"


def _iso(t: Any) -> str:
    return t.strftime(_TS)[:-3] + "Z"


def _world(root: Path) -> Settings:
    settings = load_settings(
        environ={},
        data_dir=root,
        overrides={
            "simulate": {"scale": "tiny", "start": "2026-11-02T00:00:00Z", "duration": "3h"},
            "faults": {"enabled": True, "violation_rate": 0.01},
        },
    )
    simulate.run(settings, domain="social")
    src = open_source(settings.backend("source"))
    try:
        posts = src.read_table("social_posts").to_pylist()
    finally:
        src.close()
    post, other = posts[0], posts[1]
    created, day = post["created_at"], timedelta(days=1)
    view = {"view_id": 9_000_001, "post_id": post["post_id"], "user_id": post["user_id"]}
    lines = [
        {**view, "viewed_at": _iso(created - timedelta(seconds=5))},  # before its post
        {**view, "view_id": 9_000_002, "viewed_at": _iso(created + timedelta(seconds=5))},
        # before its post and by a user who does not exist: both reasons, in the rules' order
        {**view, "view_id": 9_000_003, "user_id": 987_654, "viewed_at": _iso(created - day)},
        {**view, "view_id": 9_000_004, "post_id": 987_654, "viewed_at": _iso(created)},
        {**view, "view_id": 9_000_001, "post_id": other["post_id"], "viewed_at": _iso(created)},
    ]
    log = open_eventlog(settings.backend("eventlog"))
    log.write_slice("social_views", H0, b"\n".join(orjson.dumps(x) for x in lines) + b"\n")
    return settings


def _quarantine(settings: Settings) -> list[dict[str, Any]]:
    wh = open_warehouse(settings.backend("warehouse"))
    try:
        rows: list[dict[str, Any]] = wh.query_arrow(
            "select entity, origin, payload, reasons from raw.quarantine order by all"
        ).to_pylist()
        return rows
    finally:
        wh.close()


def test_piecewise_views_equal_the_whole_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    piecewise = _world(tmp_path / "piecewise")
    whole = _world(tmp_path / "whole")

    report = run_ingest(piecewise, domain="social")
    with monkeypatch.context() as m:  # every entity through the whole-run path
        m.setattr("vitrina.ingest.run.streamable", lambda entity: False)
        whole_report = run_ingest(whole, domain="social")

    assert report.entities == whole_report.entities
    tables = [t for t in table_digests(whole) if t != "raw.quarantine"]
    assert table_digests(piecewise, tables) == table_digests(whole, tables)
    # Quarantine rows carry the moment of their run, and the origin its data folder.
    got, want = _quarantine(piecewise), _quarantine(whole)
    assert [(r["entity"], r["payload"], r["reasons"]) for r in got] == [
        (r["entity"], r["payload"], r["reasons"]) for r in want
    ]
    views = {
        orjson.loads(r["payload"])["view_id"]: r["reasons"]
        for r in got
        if r["entity"] == "social_views" and "9000" in r["payload"]
    }
    assert sorted(views) == [9_000_001, 9_000_003, 9_000_004]
    assert views[9_000_001].startswith("social_views.viewed_at: ")
    assert " before post " in views[9_000_001]
    user, when = views[9_000_003].split("; ")
    assert user == "social_views.user_id: 987654 not found in social_users"
    assert when.startswith("social_views.viewed_at: ") and " before post " in when
    assert views[9_000_004] == "social_views.post_id: 987654 not found in social_posts"
