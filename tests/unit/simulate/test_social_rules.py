"""Every simulated social record has SOCIAL.md's shape and obeys its cross-record rules, at two scales."""

from __future__ import annotations

import polars as pl
import pytest

from tests.unit.simulate.social_sim import SocialSim, social_day

# SOCIAL.md's shapes: the fields of every entity, in order.
SHAPES = {
    "social_users": "user_id username email country created_at",
    "social_user_profiles": "user_id display_name bio birth_date city",
    "social_user_settings": "user_id language notifications_enabled",
    "social_user_privacy": "user_id profile_visibility messages_from",
    "social_user_status": "user_id status changed_at",
    "social_user_badges": "user_id badge awarded_at",
    "social_friendships": "user_id friend_id created_at",
    "social_follows": "follower_id followee_id created_at",
    "social_blocks": "user_id blocked_user_id created_at",
    "social_mutes": "user_id muted_user_id created_at",
    "social_close_friends": "user_id friend_id created_at",
    "social_subscriptions": "subscriber_id creator_id tier created_at",
    "social_posts": "post_id user_id kind community_id topic_id text created_at",
    "social_comments": "comment_id post_id user_id parent_comment_id text created_at",
    "social_reactions": "reaction_id post_id user_id kind created_at",
    "social_shares": "share_id post_id user_id kind text created_at",
    "social_views": "view_id post_id user_id viewed_at",
    "social_albums": "album_id user_id title created_at",
    "social_media": "media_id user_id kind album_id width height duration_s size_bytes created_at",
    "social_attachments": "attachment_id media_id post_id comment_id",
    "social_thumbnails": "thumbnail_id media_id width height",
    "social_topics": "topic_id name",
    "social_communities": "community_id name kind topic_id owner_id created_at",
    "social_community_members": "community_id user_id joined_at left_at",
    "social_community_moderators": "community_id user_id since",
    "social_pinned_posts": "community_id post_id pinned_at",
    "social_complaints": "complaint_id reporter_id community_id post_id comment_id reason created_at",
    "social_ads": "ad_id advertiser_id name budget created_at",
    "social_ad_impressions": "impression_id ad_id user_id ts",
    "social_ad_clicks": "click_id ad_id user_id ts",
    "social_sponsorships": "sponsorship_id sponsor_id creator_id amount start_date end_date",
    "social_donations": "donation_id from_user_id to_user_id amount created_at",
    "social_subscription_payments": "payment_id subscriber_id creator_id amount paid_at",
}
EVENTS = ("social_user_status", "social_views", "social_ad_impressions", "social_ad_clicks")
SCALES = ("tiny", "classic")


def frames(sim: SocialSim) -> dict[str, pl.DataFrame]:
    out = {name: sim.table(name) for name in sim.arrow}
    for topic in EVENTS:
        df = sim.events(topic)
        time_col = {"social_user_status": "changed_at", "social_views": "viewed_at"}.get(
            topic, "ts"
        )
        out[topic] = df.with_columns(
            pl.col(time_col).str.to_datetime("%Y-%m-%dT%H:%M:%S%.3fZ", time_zone="UTC")
        )
    return out


@pytest.fixture(scope="module", params=SCALES)
def world(request: pytest.FixtureRequest) -> tuple[SocialSim, dict[str, pl.DataFrame]]:
    sim = social_day(request.param)
    return sim, frames(sim)


def _ids(df: pl.DataFrame, col: str) -> pl.Series:
    return df[col].drop_nulls()


def test_every_entity_has_social_md_shape_and_rows(world: tuple[SocialSim, dict]) -> None:
    sim, f = world
    assert set(f) == set(SHAPES)
    for name, fields in SHAPES.items():
        assert f[name].columns == fields.split(), name
        assert f[name].height > 0 or name == "social_pinned_posts", name
    assert sim.manifest == []


def test_references_exist(world: tuple[SocialSim, dict]) -> None:
    _, f = world
    users = set(f["social_users"]["user_id"])
    refs = {
        "social_users": ("user_id",),
        "social_posts": ("post_id",),
        "social_comments": ("comment_id",),
        "social_communities": ("community_id",),
        "social_topics": ("topic_id",),
        "social_media": ("media_id",),
        "social_albums": ("album_id",),
        "social_ads": ("ad_id",),
    }
    keys = {col: set(f[t][col]) for t, cols in refs.items() for col in cols}
    keys["user"] = users
    to = {
        "user_id": "user_id", "friend_id": "user", "follower_id": "user", "followee_id": "user",
        "blocked_user_id": "user", "muted_user_id": "user", "subscriber_id": "user",
        "creator_id": "user", "owner_id": "user", "reporter_id": "user", "advertiser_id": "user",
        "sponsor_id": "user", "from_user_id": "user", "to_user_id": "user", "post_id": "post_id",
        "parent_comment_id": "comment_id", "comment_id": "comment_id",
        "community_id": "community_id", "topic_id": "topic_id", "media_id": "media_id",
        "album_id": "album_id", "ad_id": "ad_id",
    }  # fmt: skip
    for name, df in f.items():
        pk = SHAPES[name].split()[0]
        for col in df.columns:
            if col in to and not (
                col == pk and name in {f"social_{to[col][:-3]}s", "social_users"}
            ):
                missing = set(_ids(df, col)) - keys[to[col]]
                assert not missing, (name, col, sorted(missing)[:5])


def test_ties_are_proper(world: tuple[SocialSim, dict]) -> None:
    _, f = world
    fr = f["social_friendships"]
    assert (fr["user_id"] < fr["friend_id"]).all()
    assert fr.select("user_id", "friend_id").is_unique().all()
    for name, a, b in (
        ("social_follows", "follower_id", "followee_id"),
        ("social_blocks", "user_id", "blocked_user_id"),
        ("social_mutes", "user_id", "muted_user_id"),
        ("social_close_friends", "user_id", "friend_id"),
        ("social_subscriptions", "subscriber_id", "creator_id"),
        ("social_sponsorships", "sponsor_id", "creator_id"),
        ("social_donations", "from_user_id", "to_user_id"),
    ):
        assert (f[name][a] != f[name][b]).all(), name
    close = f["social_close_friends"].select(
        pl.min_horizontal("user_id", "friend_id").alias("user_id"),
        pl.max_horizontal("user_id", "friend_id").alias("friend_id"),
    )
    assert close.join(fr, on=["user_id", "friend_id"], how="anti").height == 0
    users = f["social_users"]
    assert users["username"].is_unique().all() and users["email"].is_unique().all()
    assert users["username"].str.contains(r"^[A-Za-z0-9_.]+$").all()


def test_nothing_happens_to_a_post_before_it_exists(world: tuple[SocialSim, dict]) -> None:
    sim, f = world
    posts = f["social_posts"].select("post_id", pl.col("created_at").alias("posted_at"))
    for name, col in (
        ("social_comments", "created_at"),
        ("social_reactions", "created_at"),
        ("social_shares", "created_at"),
        ("social_views", "viewed_at"),
        ("social_pinned_posts", "pinned_at"),
        ("social_complaints", "created_at"),
    ):
        joined = f[name].join(posts, on="post_id")
        assert (joined[col] > joined["posted_at"]).all(), name
        assert (f[name][col].dt.epoch("ms") < sim.end_ms).all(), name


def test_replies_answer_earlier_comments_of_the_same_post(world: tuple[SocialSim, dict]) -> None:
    _, f = world
    c = f["social_comments"]
    parents = c.select(
        pl.col("comment_id").alias("parent_comment_id"),
        pl.col("post_id").alias("parent_post"),
        pl.col("created_at").alias("parent_at"),
    )
    replies = c.join(parents, on="parent_comment_id")
    assert replies.height == c["parent_comment_id"].drop_nulls().len() > 0
    assert (replies["post_id"] == replies["parent_post"]).all()
    assert (replies["created_at"] > replies["parent_at"]).all()


def test_one_reaction_per_post_and_user_or_a_later_one(world: tuple[SocialSim, dict]) -> None:
    _, f = world
    r = f["social_reactions"].sort("reaction_id")
    again = r.filter(pl.struct("post_id", "user_id").is_duplicated())
    assert again.height < 0.1 * r.height
    later = again.group_by("post_id", "user_id").agg(
        pl.col("created_at").n_unique().alias("times"), pl.len().alias("rows"),
        (pl.col("created_at").diff().drop_nulls() > 0).all().alias("later"),
    )  # fmt: skip
    assert (later["times"] == later["rows"]).all() and later["later"].all()


def test_memberships_moderators_money(world: tuple[SocialSim, dict]) -> None:
    _, f = world
    m = f["social_community_members"]
    left = m.filter(pl.col("left_at").is_not_null())
    assert left.height > 0 and (left["left_at"] > left["joined_at"]).all()
    mods = f["social_community_moderators"].join(m, on=["community_id", "user_id"])
    current = mods.filter(pl.col("left_at").is_null() & (pl.col("joined_at") <= pl.col("since")))
    assert (
        current.select("community_id", "user_id").n_unique()
        == f["social_community_moderators"].height
    )
    for name in ("social_sponsorships", "social_donations", "social_subscription_payments"):
        assert (f[name]["amount"] >= 0).all(), name
    assert (f["social_ads"]["budget"] >= 0).all()
    sp = f["social_sponsorships"]
    assert (sp["end_date"] >= sp["start_date"]).all()
    shares = f["social_shares"]
    assert (shares["text"].is_not_null() == (shares["kind"] == "quote")).all()
    att = f["social_attachments"]
    assert (att["post_id"].is_null() != att["comment_id"].is_null()).all()
    video = f["social_media"].filter(pl.col("kind") == "video")
    assert video["duration_s"].null_count() == 0 and video["duration_s"].min() >= 1
