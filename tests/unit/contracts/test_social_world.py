"""validate_world on a small social world: composite keys, references and SOCIAL.md's cross-record rules."""

from __future__ import annotations

from typing import Any

import polars as pl

from tests.support.records import record
from tests.support.rules import reasons, world
from tests.support.social_records import SOCIAL_GOOD
from vitrina.contracts import validate_world
from vitrina.contracts.latest import latest_rows


def social() -> dict[str, list[dict[str, Any]]]:
    """Every social table: the good records, plus users 2 and 3 they point at."""
    tables = {entity: [rec] for entity, rec in SOCIAL_GOOD.items()}
    tables["social_users"] += [
        record("social_users", user_id=2, username="bruno", email="bruno@social.example"),
        record("social_users", user_id=3, username="carla", email="carla@social.example"),
    ]
    return tables


def check(tables: dict[str, list[dict[str, Any]]], entity: str) -> Any:
    return validate_world(world(**tables))[entity]


def test_the_good_social_world_passes_whole() -> None:
    out = validate_world(world(**social()))
    assert {e: v.invalid.height for e, v in out.items()} == dict.fromkeys(SOCIAL_GOOD, 0)
    assert out["social_users"].valid.height == 3


def test_a_repeated_pair_key_keeps_the_first_row() -> None:
    tables = social()
    tables["social_friendships"] += [
        record("social_friendships"),
        record("social_friendships", created_at="2026-02-09T00:00:00Z"),
        record("social_friendships", friend_id=3),  # another pair: fine
    ]
    out = check(tables, "social_friendships")
    assert out.valid.select("user_id", "friend_id").rows() == [(1, 2), (1, 3)]
    assert reasons(out) == [
        ["social_friendships.user_id: (user_id, friend_id) (1, 2) repeats row 0 (identical record)"],
        ["social_friendships.user_id: (user_id, friend_id) (1, 2) repeats row 0 (different record)"],
    ]  # fmt: skip
    assert out.errors.select("_row", "rule").rows() == [(1, "duplicate"), (2, "duplicate")]


def test_a_key_with_a_time_is_shown_in_iso_and_a_rejoin_is_a_new_key() -> None:
    tables = social()
    tables["social_user_status"] += [
        record("social_user_status", status="offline"),
        record("social_user_status", changed_at="2026-03-01T09:00:00.001Z"),
    ]
    out = check(tables, "social_user_status")
    assert out.valid.height == 2
    assert reasons(out) == [
        [
            "social_user_status.user_id: (user_id, changed_at) (1, 2026-03-01T09:00:00.000Z) "
            "repeats row 0 (different record)"
        ]
    ]
    tables = social()
    tables["social_community_members"] = [
        record("social_community_members", left_at="2026-02-10T00:00:00Z"),
        record("social_community_members", joined_at="2026-02-12T00:00:00Z"),
    ]
    assert check(tables, "social_community_members").valid.height == 2


def test_usernames_and_emails_are_unique_ignoring_case() -> None:
    tables = social()
    tables["social_users"] += [
        record("social_users", user_id=4, username="Anna.K", email="dora@social.example"),
        record("social_users", user_id=5, username="eva", email="ANNA@social.example"),
    ]
    out = check(tables, "social_users")
    assert reasons(out) == [
        ["social_users.username: username Anna.K already used on row 0"],
        ["social_users.email: email ANNA@social.example already used on row 0"],
    ]


def test_every_reference_must_exist() -> None:
    tables = social()
    tables["social_posts"].append(record("social_posts", post_id=2, user_id=99, topic_id=7))
    tables["social_close_friends"] = [record("social_close_friends", user_id=1, friend_id=42)]
    out = validate_world(world(**tables))
    assert reasons(out["social_posts"]) == [
        [
            "social_posts.user_id: 99 not found in social_users",
            "social_posts.topic_id: 7 not found in social_topics",
        ]
    ]
    assert reasons(out["social_close_friends"])[0][0] == (
        "social_close_friends.friend_id: 42 not found in social_users"
    )


def test_a_reply_is_on_its_parents_post_and_after_it() -> None:
    tables = social()
    tables["social_posts"].append(record("social_posts", post_id=2))
    tables["social_comments"] += [
        record("social_comments", comment_id=2, parent_comment_id=1, created_at="2026-03-01T10:06:00Z"),
        record("social_comments", comment_id=3, post_id=2, parent_comment_id=1),
        record("social_comments", comment_id=4, parent_comment_id=1, created_at="2026-03-01T10:04:00Z"),
        record("social_comments", comment_id=5, parent_comment_id=77),
    ]  # fmt: skip
    out = check(tables, "social_comments")
    assert out.valid["comment_id"].to_list() == [1, 2]
    assert reasons(out) == [
        ["social_comments.parent_comment_id: parent 1 is on post 1, not on post 2"],
        [
            "social_comments.created_at: 2026-03-01T10:04:00.000Z before parent 1 created_at "
            "2026-03-01T10:05:00.000Z"
        ],
        ["social_comments.parent_comment_id: 77 not found in social_comments"],
    ]


def test_nothing_happens_to_a_post_before_it_was_created() -> None:
    before = "2026-03-01T09:59:59.999Z"
    acts = {
        "social_comments": "created_at",
        "social_reactions": "created_at",
        "social_shares": "created_at",
        "social_views": "viewed_at",
        "social_pinned_posts": "pinned_at",
    }
    tables = social()
    for entity, field in acts.items():
        tables[entity] = [record(entity, **{field: before})]
    out = validate_world(world(**tables))
    got = {e: reasons(v) for e, v in out.items() if v.invalid.height}
    assert got == {
        e: [[f"{e}.{f}: {before} before post 1 created_at 2026-03-01T10:00:00.000Z"]]
        for e, f in acts.items()
    }


def test_moderators_are_current_members() -> None:
    tables = social()
    tables["social_community_members"] += [
        record("social_community_members", user_id=2, left_at="2026-02-20T00:00:00Z"),
    ]
    tables["social_community_moderators"] += [
        record("social_community_moderators", user_id=2),  # left
        record("social_community_moderators", user_id=3),  # never joined
    ]
    out = check(tables, "social_community_moderators")
    assert out.valid["user_id"].to_list() == [1]
    assert reasons(out) == [
        ["social_community_moderators.user_id: user 2 is not a current member of community 1"],
        ["social_community_moderators.user_id: user 3 is not a current member of community 1"],
    ]


def test_memberships_of_a_user_in_a_community_do_not_overlap() -> None:
    tables = social()
    tables["social_community_members"] = [
        record("social_community_members", left_at="2026-02-10T00:00:00Z"),
        record("social_community_members", joined_at="2026-02-09T00:00:00Z"),
        record("social_community_members", joined_at="2026-02-11T00:00:00Z"),
        record("social_community_members", user_id=2, joined_at="2026-02-09T00:00:00Z"),
    ]
    out = check(tables, "social_community_members")
    assert out.valid.height == 2
    assert reasons(out) == [
        [
            "social_community_members.joined_at: 2026-02-09T00:00:00.000Z overlaps the membership "
            "joined at 2026-02-02T00:00:00.000Z (left 2026-02-10T00:00:00.000Z)"
        ],
        [
            "social_community_members.joined_at: 2026-02-11T00:00:00.000Z overlaps the membership "
            "joined at 2026-02-09T00:00:00.000Z (left never)"
        ],
    ]


def test_close_friends_are_friends_and_pins_are_the_communitys_own_posts() -> None:
    tables = social()
    tables["social_close_friends"].append(record("social_close_friends", user_id=3, friend_id=1))
    tables["social_posts"].append(record("social_posts", post_id=2, community_id=None))
    tables["social_pinned_posts"].append(record("social_pinned_posts", post_id=2))
    out = validate_world(world(**tables))
    assert reasons(out["social_close_friends"]) == [
        ["social_close_friends.friend_id: users 3 and 1 are not friends"]
    ]
    assert reasons(out["social_pinned_posts"]) == [
        ["social_pinned_posts.post_id: post 2 is in no community, not in 1"]
    ]


def test_cross_table_rules_wait_for_their_tables() -> None:
    tables = {"social_comments": [record("social_comments", created_at="2020-01-01T00:00:00Z")]}
    assert validate_world(world(**tables))["social_comments"].invalid.height == 0


def test_a_later_reaction_replaces_the_earlier_one_without_an_error() -> None:
    tables = social()
    tables["social_reactions"] += [
        record("social_reactions", reaction_id=2, kind="like", created_at="2026-03-01T10:30:00Z"),
        record("social_reactions", reaction_id=3, kind="wow", created_at="2026-03-01T10:30:00Z"),
        record("social_reactions", reaction_id=4, user_id=2, kind="sad"),
    ]
    out = check(tables, "social_reactions")
    assert out.invalid.height == 0 and out.valid.height == 4  # history is data, not errors
    standing = latest_rows("social_reactions", out.valid)
    # Same instant: the larger reaction_id is the later one.
    assert standing.select("reaction_id", "user_id", "kind").rows() == [
        (3, 1, "wow"),
        (4, 2, "sad"),
    ]
    assert latest_rows("social_posts", out.valid).height == 4  # no latest_per: all rows stay
    assert latest_rows("social_reactions", out.valid.clear()).height == 0
    assert isinstance(standing, pl.DataFrame)
