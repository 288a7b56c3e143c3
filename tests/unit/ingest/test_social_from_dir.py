"""`vitrina ingest --domain social --from DIR`: hand-made files, counts and quarantine reasons."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from vitrina.cli import main
from vitrina.cli.query_cmd import run_query
from vitrina.config import Settings
from vitrina.contracts.registry import DOMAINS
from vitrina.ingest.run import run_ingest

T = "2026-11-02T10:00:00Z"


def _write(root: Path, entity: str, rows: list[dict[str, object] | str]) -> None:
    folder = root / entity
    folder.mkdir(parents=True, exist_ok=True)
    lines = [r if isinstance(r, str) else orjson.dumps(r).decode() for r in rows]
    (folder / "part-0.jsonl").write_text("\n".join(lines) + "\n")


@pytest.fixture()
def social_dir(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    _write(
        root,
        "users",
        [
            {
                "user_id": u,
                "username": f"u{u}",
                "email": f"u{u}@example.com",
                "country": "PT",
                "created_at": "2026-11-01T00:00:00Z",
            }
            for u in (1, 2, 3)
        ],
    )
    _write(
        root,
        "friendships",
        [
            {"user_id": 1, "friend_id": 2, "created_at": T},
            {"user_id": 2, "friend_id": 3, "created_at": T},
            {"user_id": 3, "friend_id": 3, "created_at": T},  # a self-friendship
            {"user_id": 1, "friend_id": 2, "created_at": T},  # the same pair again
            {"user_id": "abc", "friend_id": 1, "created_at": T},  # a bad id
        ],
    )
    _write(
        root,
        "posts",
        [
            {"post_id": 10, "user_id": 1, "kind": "post", "text": "hello", "created_at": T},
            {"post_id": 11, "user_id": 2, "kind": "reel", "text": "look", "created_at": T},
        ],
    )
    _write(
        root,
        "comments",
        [
            {"comment_id": 100, "post_id": 10, "user_id": 2, "text": "hi", "created_at": T},
            # a reply on post 11 whose parent is a comment of post 10
            {
                "comment_id": 101,
                "post_id": 11,
                "user_id": 3,
                "parent_comment_id": 100,
                "text": "yes",
                "created_at": T,
            },
            {
                "comment_id": 102,
                "post_id": 10,
                "user_id": 1,
                "parent_comment_id": 100,
                "text": "thanks",
                "created_at": T,
            },
        ],
    )
    _write(
        root,
        "views",
        [
            {"view_id": 1, "post_id": 10, "user_id": 3, "viewed_at": T},
            {"view_id": 1, "post_id": 10, "user_id": 3, "viewed_at": T},  # delivered twice
            "{not json",
        ],
    )
    return root


def _quarantine(settings: Settings) -> list[dict[str, object]]:
    return run_query(
        settings,
        "warehouse",
        "select entity, origin, reasons from raw.quarantine order by entity, origin",
    ).to_pylist()


def test_counts_and_reasons_per_entity(settings: Settings, social_dir: Path) -> None:
    report = run_ingest(settings, from_dir=social_dir, domain="social")
    counts = {e.entity: (e.read, e.loaded, e.duplicates, e.quarantined) for e in report.entities}
    assert counts["social_users"] == (3, 3, 0, 0)
    assert counts["social_friendships"] == (5, 2, 1, 2)
    assert counts["social_posts"] == (2, 2, 0, 0)
    assert counts["social_comments"] == (3, 2, 0, 1)
    assert counts["social_views"] == (3, 1, 1, 1)
    # Every social snapshot entity the folder lacks is emptied; no shop entity is touched.
    assert set(report.emptied) == set(DOMAINS["social"]) - {
        "social_users",
        "social_friendships",
        "social_posts",
        "social_comments",
        "social_user_status",
        "social_views",
        "social_ad_impressions",
        "social_ad_clicks",
    }
    assert not any(e.entity == "users" for e in report.entities)
    rows = _quarantine(settings)
    by_origin = {(r["entity"], r["origin"]): str(r["reasons"]) for r in rows}
    assert len(by_origin) == 4
    self_tie = by_origin[("social_friendships", "dir:friendships/part-0.jsonl:3")]
    assert "self" in self_tie.lower()
    bad_id = by_origin[("social_friendships", "dir:friendships/part-0.jsonl:5")]
    assert "user_id" in bad_id
    reply = by_origin[("social_comments", "dir:comments/part-0.jsonl:2")]
    assert "parent" in reply.lower() and "post" in reply.lower()
    malformed = by_origin[("social_views", "dir:views/part-0.jsonl:3")]
    assert "malformed JSON" in malformed
    friends = run_query(
        settings,
        "warehouse",
        "select user_id, friend_id from clean.social_friendships order by 1, 2",
    ).to_pylist()
    assert friends == [{"user_id": 1, "friend_id": 2}, {"user_id": 2, "friend_id": 3}]


def test_the_cli_reads_local_names_and_rerunning_changes_nothing(
    settings: Settings, social_dir: Path, digests: object
) -> None:
    args = ["--data-dir", str(settings.data_dir), "ingest", "--domain", "social"]
    assert main([*args, "--from", str(social_dir)]) == 0
    first = digests(settings)  # type: ignore[operator]
    assert first["clean.social_comments"][0] == 2 and first["raw.quarantine"][0] == 4
    assert main([*args, "--from", str(social_dir)]) == 0
    assert digests(settings) == first  # type: ignore[operator]


def test_a_bad_domain_is_bad_usage(settings: Settings, social_dir: Path) -> None:
    args = ["--data-dir", str(settings.data_dir), "ingest", "--domain", "weather"]
    assert main([*args, "--from", str(social_dir)]) == 2
