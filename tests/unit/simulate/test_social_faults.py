"""Every fault injected into the social output is in the manifest, and every listed one is caught.

The checks follow SOCIAL.md's shapes and rules (positive ids, ISO-8601 times, the enums, no
self-ties, a reply's parent on the same post, nothing before its post, left_at after
joined_at, moderators are members, amounts >= 0).
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import polars as pl
import pytest

from tests.unit.simulate.social_sim import SocialSim, run_social
from vitrina.simulate.base import FaultRates

TOPICS = ("social_views", "social_user_status", "social_ad_impressions", "social_ad_clicks")
ID_OF = {"social_views": "view_id", "social_ad_impressions": "impression_id",
         "social_ad_clicks": "click_id"}  # fmt: skip
TIME_OF = {"social_views": "viewed_at", "social_user_status": "changed_at"}
_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
LATENESS_MS = 300_000  # above a duplicate's delay (at most 2 min), below a late event's (10 min)


@cache
def faulty() -> SocialSim:
    rates = FaultRates(duplicate=0.02, late=0.02, malformed=0.01, violation=0.02)
    root = Path(tempfile.mkdtemp(prefix="social-faults-"))
    return run_social(root, scale="classic", hours=6, seed=5, faults=rates)


def _listed(kind: str, where: str) -> list[dict[str, Any]]:
    return [
        e
        for e in faulty().manifest
        if e["kind"] == kind and where in (e.get("topic"), e.get("table"))
    ]


def _lines(topic: str) -> list[tuple[str, int, bytes]]:
    sim = faulty()
    return [
        (f.name, i + 1, line)
        for f in sim.log.list(topic)
        for i, line in enumerate(sim.log.read(f).splitlines())
    ]


def _problems(topic: str, rec: dict[str, Any]) -> list[str]:
    """The fields of an event record that break its SOCIAL.md shape."""
    bad = [k for k, v in rec.items() if k.endswith("_id") and not (isinstance(v, int) and v > 0)]
    t = rec.get(TIME_OF.get(topic, "ts"))
    if not (isinstance(t, str) and _ISO.match(t)):
        bad.append(TIME_OF.get(topic, "ts"))
    if topic == "social_user_status" and rec.get("status") not in ("online", "offline"):
        bad.append("status")
    return bad


def test_every_kind_is_injected() -> None:
    kinds = Counter((e["kind"], e.get("topic", e.get("table"))) for e in faulty().manifest)
    for kind in ("duplicate", "late", "malformed", "violation"):
        for topic in ("social_views", "social_user_status", "social_ad_impressions"):
            assert kinds[(kind, topic)] > 3, (kind, topic, kinds)
    for table in ("social_friendships", "social_follows", "social_comments", "social_reactions",
                  "social_community_members", "social_community_moderators", "social_donations"):  # fmt: skip
        assert kinds[("violation", table)] >= 1, (table, kinds)


@pytest.mark.parametrize("topic", TOPICS)
def test_malformed_and_violating_lines_are_caught(topic: str) -> None:
    malformed, violating = set(), {}
    for name, line, raw in _lines(topic):
        try:
            rec = orjson.loads(raw)
        except orjson.JSONDecodeError:
            malformed.add((name, line))
            continue
        if problems := _problems(topic, rec):
            violating[(name, line)] = problems
    assert malformed == {(e["file"], e["line"]) for e in _listed("malformed", topic)}
    listed = {(e["file"], e["line"]): e["detail"] for e in _listed("violation", topic)}
    assert set(violating) == set(listed)
    for key, detail in listed.items():
        assert detail.split(" ", 1)[0] in violating[key], (detail, violating[key])


@pytest.mark.parametrize("topic", TOPICS)
def test_duplicates_repeat_an_earlier_record(topic: str) -> None:
    seen: set[bytes] = set()
    repeats = set()
    for name, line, raw in _lines(topic):
        if raw in seen:
            repeats.add((name, line))
        seen.add(raw)
    assert repeats == {(e["file"], e["line"]) for e in _listed("duplicate", topic)}


def test_late_views_are_behind_the_watermark() -> None:
    """Judged as a stream does: behind the latest event time seen before it, in arrival order."""
    keys, times = [], []
    for name, line, raw in _lines("social_views"):
        try:
            rec = orjson.loads(raw)
        except orjson.JSONDecodeError:
            continue
        if not _problems("social_views", rec):
            keys.append((name, line))
            times.append(rec["viewed_at"])
    ms = pl.Series(times).str.to_datetime("%Y-%m-%dT%H:%M:%S%.3fZ").dt.epoch("ms")
    seen_before = ms.cum_max().shift(1)
    behind = (ms < seen_before - LATENESS_MS).fill_null(False).to_list()
    late = {k for k, b in zip(keys, behind, strict=True) if b}
    listed = _listed("late", "social_views")
    early = {(e["file"], e["line"]) for e in listed if e["ts_ms"] < faulty().end_ms - 1_200_000}
    assert early and early <= late <= {(e["file"], e["line"]) for e in listed}


def _broken(f: dict[str, pl.DataFrame]) -> dict[str, set[Any]]:
    """The rows of each table that break one of SOCIAL.md's cross-record rules (their keys)."""
    posts = f["social_posts"].select("post_id", pl.col("created_at").alias("posted_at"))
    c = f["social_comments"]
    parents = c.select(
        pl.col("comment_id").alias("parent_comment_id"), pl.col("post_id").alias("pp")
    )
    m = f["social_community_members"]
    mods = f["social_community_moderators"].join(
        m.select("community_id", "user_id").unique(), on=["community_id", "user_id"], how="anti"
    )

    def pairs(df: pl.DataFrame, a: str, b: str) -> set[Any]:
        return {(x, y) for x, y in df.select(a, b).iter_rows()}

    fr, fo, r = f["social_friendships"], f["social_follows"], f["social_reactions"]
    col = pl.col
    replies = c.join(parents, on="parent_comment_id")
    before = r.join(posts, on="post_id").filter(col("created_at") <= col("posted_at"))
    return {
        "social_friendships": pairs(
            fr.filter(col("user_id") >= col("friend_id")), "user_id", "friend_id"
        ),
        "social_follows": pairs(
            fo.filter(col("follower_id") == col("followee_id")), "follower_id", "followee_id"
        ),
        "social_comments": set(replies.filter(col("pp") != col("post_id"))["comment_id"]),
        "social_reactions": set(before["reaction_id"]),
        "social_community_members": pairs(
            m.filter(col("left_at") <= col("joined_at")), "community_id", "user_id"
        ),
        "social_community_moderators": pairs(mods, "community_id", "user_id"),
        "social_donations": set(f["social_donations"].filter(col("amount") < 0)["donation_id"]),
    }


def _key(entry: dict[str, Any]) -> Any:
    key = entry["key"]
    return tuple(list(key.values())[:2]) if isinstance(key, dict) else key


def test_snapshot_violations_are_caught_exactly() -> None:
    sim = faulty()
    broken = _broken({name: sim.table(name) for name in sim.arrow})
    for table, caught in broken.items():
        listed = {_key(e) for e in _listed("violation", table)}
        assert listed and caught == listed, (table, listed ^ caught)
