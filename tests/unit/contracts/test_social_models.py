"""The social contracts: SOCIAL.md's shapes, and each rule rejecting a bad record in both validators."""

from __future__ import annotations

from typing import Any

import duckdb
import orjson
import polars as pl
import pytest
from pydantic import ValidationError

from tests.support.records import frame, jsonl, record
from tests.support.rules import batch_rules, pydantic_rules
from vitrina.contracts import ENTITIES, parse_jsonl, validate_table
from vitrina.contracts.domain import Domain
from vitrina.contracts.schema import entity_schema
from vitrina.contracts.social import DOMAIN, Friendship, SocialUser, UserSettings
from vitrina.contracts.storage import arrow_schema, create_table_sql

# SOCIAL.md's shapes by local name (the folder under `ingest --domain social --from DIR`).
SOCIAL_FIELDS = {
    "users": "user_id username email country created_at",
    "user_profiles": "user_id display_name bio birth_date city",
    "user_settings": "user_id language notifications_enabled",
    "user_privacy": "user_id profile_visibility messages_from",
    "user_status": "user_id status changed_at",
    "user_badges": "user_id badge awarded_at",
    "friendships": "user_id friend_id created_at",
    "follows": "follower_id followee_id created_at",
    "blocks": "user_id blocked_user_id created_at",
    "mutes": "user_id muted_user_id created_at",
    "close_friends": "user_id friend_id created_at",
    "subscriptions": "subscriber_id creator_id tier created_at",
    "topics": "topic_id name",
    "communities": "community_id name kind topic_id owner_id created_at",
    "posts": "post_id user_id kind community_id topic_id text created_at",
    "comments": "comment_id post_id user_id parent_comment_id text created_at",
    "reactions": "reaction_id post_id user_id kind created_at",
    "shares": "share_id post_id user_id kind text created_at",
    "views": "view_id post_id user_id viewed_at",
    "albums": "album_id user_id title created_at",
    "media": "media_id user_id kind album_id width height duration_s size_bytes created_at",
    "attachments": "attachment_id media_id post_id comment_id",
    "thumbnails": "thumbnail_id media_id width height",
    "community_members": "community_id user_id joined_at left_at",
    "community_moderators": "community_id user_id since",
    "pinned_posts": "community_id post_id pinned_at",
    "complaints": "complaint_id reporter_id community_id post_id comment_id reason created_at",
    "ads": "ad_id advertiser_id name budget created_at",
    "ad_impressions": "impression_id ad_id user_id ts",
    "ad_clicks": "click_id ad_id user_id ts",
    "sponsorships": "sponsorship_id sponsor_id creator_id amount start_date end_date",
    "donations": "donation_id from_user_id to_user_id amount created_at",
    "subscription_payments": "payment_id subscriber_id creator_id amount paid_at",
}


def test_every_social_entity_has_social_md_shape_under_a_prefixed_name() -> None:
    assert [DOMAIN.local_name(e) for e in DOMAIN.names()] == list(SOCIAL_FIELDS)
    for local, fields in SOCIAL_FIELDS.items():
        entity = DOMAIN.entity_named(local)
        assert entity == f"social_{local}"
        assert list(ENTITIES[entity].model_fields) == fields.split()
    assert DOMAIN.names("event") == (
        "social_user_status",
        "social_views",
        "social_ad_impressions",
        "social_ad_clicks",
    )
    assert ENTITIES["users"] is not SocialUser  # the shop keeps its name
    assert ENTITIES["social_users"] is SocialUser


def test_a_domain_refuses_an_entity_without_its_prefix() -> None:
    with pytest.raises(ValueError, match=r"Friendship.entity 'social_friendships' lacks 'ties_'"):
        Domain("social", "x", (Friendship,), prefix="ties_")


def test_composite_keys_are_tuples_and_one_column_keys_stay_strings() -> None:
    assert Friendship.key_columns() == ("user_id", "friend_id")
    assert ENTITIES["social_community_members"].key_columns() == (
        "community_id",
        "user_id",
        "joined_at",
    )
    assert ENTITIES["orders"].primary_key == "order_id"
    assert ENTITIES["orders"].key_columns() == ("order_id",)
    assert entity_schema("social_friendships")["x-vitrina"]["primary_key"] == (
        "user_id",
        "friend_id",
    )
    exported = orjson.loads(orjson.dumps(entity_schema("social_follows")))["x-vitrina"]
    assert exported["unique"] == [["follower_id", "followee_id"]]


def test_a_composite_key_is_a_table_constraint_in_the_ddl() -> None:
    assert create_table_sql("social_friendships") == (
        "create table if not exists social_friendships (\n"
        "    user_id bigint,\n"
        "    friend_id bigint,\n"
        "    created_at timestamptz,\n"
        "    primary key (user_id, friend_id)\n"
        ");\n"
    )
    con = duckdb.connect()
    con.execute(create_table_sql("social_friendships"))
    con.execute("insert into social_friendships values (1, 2, now())")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("insert into social_friendships values (1, 2, now())")
    settings = create_table_sql("social_user_settings")
    assert "notifications_enabled boolean" in settings and "user_id bigint primary key" in settings


def test_a_flag_is_a_json_boolean_typed_boolean() -> None:
    assert str(arrow_schema("social_user_settings").field("notifications_enabled").type) == "bool"
    rows = [
        record("social_user_settings"),
        record("social_user_settings", user_id=2, notifications_enabled=False),
        record("social_user_settings", user_id=3, notifications_enabled="true"),
        record("social_user_settings", user_id=4, notifications_enabled=1),
    ]
    result = validate_table("social_user_settings", frame("social_user_settings", rows))
    assert result.valid["notifications_enabled"].to_list() == [True, False]
    assert result.valid.schema["notifications_enabled"] == pl.Boolean
    assert [r[0] for r in result.invalid["reasons"].to_list()] == [
        "social_user_settings.notifications_enabled: expected a boolean, got JSON 'true'",
        "social_user_settings.notifications_enabled: expected a boolean, got '1'",
    ]
    with pytest.raises(ValidationError, match="boolean"):
        UserSettings.model_validate_json(orjson.dumps(rows[2]))
    typed = pl.DataFrame(
        {"user_id": [1], "language": ["en"], "notifications_enabled": [True]},
        schema={"user_id": pl.Int64, "language": pl.String, "notifications_enabled": pl.Boolean},
    )
    assert validate_table("social_user_settings", typed).valid.height == 1


# (entity, changes, the (field, rule) both validators report, the message of a record rule)
CASES: list[tuple[str, dict[str, Any], tuple[str, str], str | None]] = [
    ("social_users", {"username": "anna k"}, ("username", "format"), None),
    ("social_users", {"username": "x" * 31}, ("username", "length"), None),
    ("social_users", {"country": "Portugal"}, ("country", "format"), None),
    ("social_users", {"created_at": "2026-01-01"}, ("created_at", "format"), None),
    ("social_user_settings", {"language": "PT"}, ("language", "format"), None),
    ("social_user_settings", {"notifications_enabled": "yes"}, ("notifications_enabled", "type"), None),
    ("social_user_settings", {"notifications_enabled": None}, ("notifications_enabled", "missing"), None),
    ("social_user_privacy", {"profile_visibility": "everyone"}, ("profile_visibility", "enum"), None),
    ("social_user_privacy", {"messages_from": "friends_of_friends"}, ("messages_from", "enum"), None),
    ("social_user_status", {"status": "away"}, ("status", "enum"), None),
    ("social_friendships", {"friend_id": 1}, ("friend_id", "self"), "1 equals user_id (no self-friendship)"),
    ("social_friendships", {"user_id": 5}, ("friend_id", "order"),
     "2 not above user_id 5 (one row per pair, user_id < friend_id)"),
    ("social_follows", {"followee_id": 1}, ("followee_id", "self"), "1 equals follower_id (no self-follow)"),
    ("social_blocks", {"blocked_user_id": 2}, ("blocked_user_id", "self"),
     "2 equals user_id (no self-block)"),
    ("social_mutes", {"muted_user_id": 1}, ("muted_user_id", "self"), "1 equals user_id (no self-mute)"),
    ("social_close_friends", {"friend_id": 2}, ("friend_id", "self"),
     "2 equals user_id (no self-friendship)"),
    ("social_subscriptions", {"creator_id": 1}, ("creator_id", "self"),
     "1 equals subscriber_id (no self-subscription)"),
    ("social_posts", {"kind": "tweet"}, ("kind", "enum"), None),
    ("social_posts", {"community_id": 0}, ("community_id", "range"), None),
    ("social_comments", {"parent_comment_id": 1}, ("parent_comment_id", "self"),
     "1 equals comment_id (a comment is not its own parent)"),
    ("social_reactions", {"kind": "dislike"}, ("kind", "enum"), None),
    ("social_shares", {"text": ...}, ("text", "required"), "a quote carries text"),
    ("social_shares", {"text": None}, ("text", "required"), "a quote carries text"),
    ("social_shares", {"text": ""}, ("text", "required"), "a quote carries text"),
    ("social_shares", {"kind": "boost"}, ("kind", "enum"), None),
    ("social_views", {"viewed_at": "2026-03-01T10:01:00"}, ("viewed_at", "format"), None),
    ("social_media", {"kind": "gif"}, ("kind", "enum"), None),
    ("social_media", {"width": 0}, ("width", "range"), None),
    ("social_attachments", {"post_id": ...}, ("post_id", "target"),
     "0 of post_id, comment_id set (exactly one)"),
    ("social_attachments", {"comment_id": 1}, ("post_id", "target"),
     "2 of post_id, comment_id set (exactly one)"),
    ("social_communities", {"kind": "page"}, ("kind", "enum"), None),
    ("social_community_members", {"left_at": "2026-02-02T00:00:00Z"}, ("left_at", "chronology"),
     "2026-02-02T00:00:00.000Z not after joined_at 2026-02-02T00:00:00.000Z"),
    ("social_community_members", {"left_at": "2026-01-31T23:59:59.5Z"}, ("left_at", "chronology"),
     "2026-01-31T23:59:59.500Z not after joined_at 2026-02-02T00:00:00.000Z"),
    ("social_complaints", {"post_id": ..., "community_id": ..., "comment_id": ...},
     ("community_id", "target"),
     "0 of community_id, post_id, comment_id set (at least one)"),
    ("social_ads", {"budget": "-1.00"}, ("budget", "range"), None),
    ("social_sponsorships", {"amount": -5}, ("amount", "range"), None),
    ("social_sponsorships", {"end_date": "2026-02-28"}, ("end_date", "chronology"),
     "2026-02-28T00:00:00.000Z before start_date 2026-03-01T00:00:00.000Z"),
    ("social_sponsorships", {"creator_id": 1}, ("creator_id", "self"),
     "1 equals sponsor_id (no self-sponsorship)"),
    ("social_donations", {"amount": "-0.01"}, ("amount", "range"), None),
    ("social_donations", {"to_user_id": 1}, ("to_user_id", "self"),
     "1 equals from_user_id (no self-donation)"),
    ("social_subscription_payments", {"amount": "4.999"}, ("amount", "format"), None),
    ("social_subscription_payments", {"creator_id": 1}, ("creator_id", "self"),
     "1 equals subscriber_id (no self-subscription)"),
]  # fmt: skip


@pytest.mark.parametrize(("entity", "changes", "expected", "message"), CASES)
def test_each_social_rule_rejects_a_bad_record_in_both_validators(
    entity: str, changes: dict[str, Any], expected: tuple[str, str], message: str | None
) -> None:
    rec = record(entity, **changes)
    assert pydantic_rules(entity, rec) == {expected}
    assert batch_rules(entity, rec) == {expected}
    if message is None:
        return
    with pytest.raises(ValidationError) as info:
        ENTITIES[entity].model_validate_json(orjson.dumps(rec))
    assert [e["msg"] for e in info.value.errors()] == [f"{expected[0]}: {message}"]
    parsed = parse_jsonl(jsonl([rec]), entity, "test")
    reasons = validate_table(entity, parsed.frame).invalid["reasons"].to_list()
    assert reasons == [[f"{entity}.{expected[0]}: {message}"]]


@pytest.mark.parametrize(
    ("entity", "changes"),
    [
        ("social_friendships", {"user_id": 1, "friend_id": 9}),
        ("social_shares", {"kind": "repost", "text": None}),
        ("social_shares", {"kind": "repost", "text": "with a note"}),
        ("social_attachments", {"post_id": None, "comment_id": 4}),
        ("social_complaints", {"post_id": None, "comment_id": 3, "community_id": 1}),
        ("social_community_members", {"left_at": "2026-02-02T00:00:00.001Z"}),
        ("social_sponsorships", {"end_date": "2026-03-01"}),
        ("social_donations", {"amount": 0}),
        ("social_media", {"kind": "photo", "duration_s": None, "album_id": None}),
        ("social_user_profiles", {"bio": None, "birth_date": None, "city": None}),
    ],
)
def test_edge_records_that_pass_both_validators(entity: str, changes: dict[str, Any]) -> None:
    rec = record(entity, **changes)
    assert pydantic_rules(entity, rec) == set()
    assert batch_rules(entity, rec) == set()


def test_all_social_cases_in_one_table_give_the_same_answers_as_one_by_one() -> None:
    for entity in {c[0] for c in CASES}:
        cases = [(record(entity, **ch), exp) for e, ch, exp, _ in CASES if e == entity]
        parsed = parse_jsonl(jsonl([rec for rec, _ in cases]), entity, "agreement")
        errors = validate_table(entity, parsed.frame).errors
        for row, (_, expected) in enumerate(cases):
            got = errors.filter(errors["_row"] == row).select("field", "rule").rows()
            assert got == [expected], (entity, row)
