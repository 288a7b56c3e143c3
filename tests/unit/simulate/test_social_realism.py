"""The simulated social network looks like a real one: measured on a classic day."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tests.unit.simulate.social_sim import SocialSim, social_day
from vitrina.simulate.presets import PRESETS, SOCIAL_PRESETS
from vitrina.simulate.social.vocab import COUNTRY_WEIGHTS


@pytest.fixture(scope="module")
def classic() -> SocialSim:
    return social_day("classic")


def _degrees(sim: SocialSim) -> np.ndarray:
    fr = sim.table("social_friendships")
    n = sim.table("social_users").height
    return np.bincount(fr["user_id"].to_numpy() - 1, minlength=n) + np.bincount(
        fr["friend_id"].to_numpy() - 1, minlength=n
    )


def test_friend_counts_are_heavy_tailed(classic: SocialSim) -> None:
    deg = _degrees(classic)
    assert 15 <= deg.mean() <= 35
    assert deg.max() >= 8 * np.median(deg)
    followers = classic.table("social_follows")["followee_id"].value_counts()["count"].to_numpy()
    assert followers.max() >= 50 * np.median(followers)


def test_friendships_cluster_by_country_and_interest(classic: SocialSim) -> None:
    users = classic.table("social_users").select("user_id", "country")
    fr = (
        classic.table("social_friendships")
        .join(users, on="user_id")
        .join(users.rename({"user_id": "friend_id", "country": "friend_country"}), on="friend_id")
    )
    same = (fr["country"] == fr["friend_country"]).mean()
    w = np.asarray(COUNTRY_WEIGHTS, dtype=float) / sum(COUNTRY_WEIGHTS)
    by_chance = float((w**2).sum())  # two users drawn at random share a country this often
    assert same is not None and same > 0.5 > 3 * by_chance
    # Triangles: friends of friends are friends far more often than at random.
    deg = _degrees(classic)
    a = fr["user_id"].to_numpy() - 1
    b = fr["friend_id"].to_numpy() - 1
    neighbours = {i: set() for i in range(len(deg))}  # small graph: sets are fine here
    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        neighbours[x].add(y)
        neighbours[y].add(x)
    closed = sum(
        len(neighbours[x] & neighbours[y]) for x, y in zip(a[:3000], b[:3000], strict=True)
    )
    density = deg.mean() / len(deg)
    assert closed / 3000 / deg.mean() > 10 * density


def test_a_few_posts_go_viral_and_most_do_not(classic: SocialSim) -> None:
    views = classic.events("social_views")
    posts = classic.table("social_posts")
    counts = views.group_by("post_id").len()
    viral = counts.filter(pl.col("len") >= 1000)
    share = viral.height / posts.height
    assert viral.height >= 3 and share < 0.05
    assert counts["len"].median() < 100  # type: ignore[operator]
    # The fastest reach 1,000 views within minutes of being posted.
    first = (
        views.filter(pl.col("post_id").is_in(viral["post_id"].implode()))
        .sort("viewed_at", "view_id")
        .group_by("post_id", maintain_order=True)
        .agg(pl.col("viewed_at").get(999).alias("at_1000"))
        .join(posts.select("post_id", "created_at"), on="post_id")
    )
    at_1000 = first["at_1000"].str.to_datetime("%Y-%m-%dT%H:%M:%S%.3fZ", time_zone="UTC").dt.epoch(
        "ms"
    ) - first["created_at"].dt.epoch("ms")
    assert at_1000.min() < 30 * 60_000  # type: ignore[operator]


def test_reaction_mix_and_threads(classic: SocialSim) -> None:
    kinds = classic.table("social_reactions")["kind"].value_counts(normalize=True)
    share = dict(zip(kinds["kind"], kinds["proportion"], strict=True))
    assert set(share) == {"like", "love", "haha", "wow", "sad", "angry"}
    assert max(share, key=share.__getitem__) == "like" and 0.4 < share["like"] < 0.75
    assert share["angry"] < share["love"]
    comments = classic.table("social_comments")
    replies = comments["parent_comment_id"].drop_nulls()
    assert 0.2 < replies.len() / comments.height < 0.6
    # Threads go deeper than one reply: some replies answer replies.
    parents = comments.filter(pl.col("comment_id").is_in(replies.implode()))
    assert parents["parent_comment_id"].drop_nulls().len() > 0
    shares = classic.table("social_shares")["kind"].value_counts(normalize=True)
    quote = shares.filter(pl.col("kind") == "quote")["proportion"][0]
    assert 0.2 < quote < 0.4


def test_daily_cycle_is_visible(classic: SocialSim) -> None:
    views = classic.events("social_views")
    per_hour = views.group_by(pl.col("viewed_at").str.slice(11, 2).alias("h")).len()
    per_hour_posts = (
        classic.table("social_posts").group_by(pl.col("created_at").dt.hour().alias("h")).len()
    )
    assert per_hour_posts["len"].max() >= 3 * per_hour_posts["len"].min()  # type: ignore[operator]
    assert per_hour["len"].max() >= 3 * per_hour["len"].min()  # type: ignore[operator]
    # Events every minute of the virtual day.
    minutes = views["viewed_at"].str.slice(0, 16).n_unique()
    status = classic.events("social_user_status")["changed_at"].str.slice(0, 16).n_unique()
    assert minutes == status == 24 * 60


def test_communities_grow_and_shrink(classic: SocialSim) -> None:
    m = classic.table("social_community_members")
    again = m.group_by("community_id", "user_id").len().filter(pl.col("len") > 1)
    assert again.height > 0  # rejoins
    left = m["left_at"].drop_nulls().len()
    assert 0.05 * m.height < left < 0.5 * m.height
    ads = classic.events("social_ad_impressions").height
    clicks = classic.events("social_ad_clicks").height
    assert 0.005 < clicks / ads < 0.04


def test_presets_sizes() -> None:
    sizes = [SOCIAL_PRESETS[n].users for n in ("tiny", "classic", "medium", "large", "xlarge")]
    assert sizes == sorted(sizes) and sizes[1] == 5_000 and sizes[-1] >= 1_000_000
    assert set(SOCIAL_PRESETS) == set(PRESETS)
    # The shop keeps its numbers.
    assert (PRESETS["classic"].users, PRESETS["classic"].orders) == (500, 3_000)
    assert social_day("tiny").table("social_users").height == SOCIAL_PRESETS["tiny"].users
