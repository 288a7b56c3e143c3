"""Rules across the social tables: threads, post chronology, moderators, memberships, ties, pins."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import polars as pl

from vitrina.contracts.rules import ROW, TableRule, error_rows

if TYPE_CHECKING:
    from vitrina.contracts.batch import Validation

__all__ = ["TABLE_RULES"]

_TS = "%Y-%m-%dT%H:%M:%S%.3fZ"
Check = Callable[[Mapping[str, "Validation"]], list[pl.DataFrame]]


def _ts(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime(_TS)


def _after_post(entity: str, field: str) -> Check:
    """Nothing happens to a post before it was created: ``field`` >= the post's created_at."""

    def check(checked: Mapping[str, Validation]) -> list[pl.DataFrame]:
        posts = checked["social_posts"].valid.select(
            "post_id", pl.col("created_at").alias("__created")
        )
        early = (
            checked[entity]
            .valid.join(posts, on="post_id", how="inner")
            .filter(pl.col(field) < pl.col("__created"))
        )
        msg = pl.format(
            "{} before post {} created_at {}", _ts(field), pl.col("post_id"), _ts("__created")
        )
        return [error_rows(early, field, "chronology", msg)] if early.height else []

    return check


def _parents(checked: Mapping[str, Validation]) -> pl.DataFrame:
    comments = checked["social_comments"].valid
    parents = comments.select(
        pl.col("comment_id").alias("parent_comment_id"),
        pl.col("post_id").alias("__parent_post"),
        pl.col("created_at").alias("__parent_at"),
    )
    return comments.join(parents, on="parent_comment_id", how="inner")


def _reply_on_same_post(checked: Mapping[str, Validation]) -> list[pl.DataFrame]:
    """A reply's parent is a comment of the same post."""
    off = _parents(checked).filter(pl.col("__parent_post") != pl.col("post_id"))
    msg = pl.format(
        "parent {} is on post {}, not on post {}",
        pl.col("parent_comment_id"),
        pl.col("__parent_post"),
        pl.col("post_id"),
    )
    return [error_rows(off, "parent_comment_id", "thread", msg)] if off.height else []


def _reply_after_parent(checked: Mapping[str, Validation]) -> list[pl.DataFrame]:
    """A reply comes after the comment it answers."""
    early = _parents(checked).filter(pl.col("created_at") < pl.col("__parent_at"))
    msg = pl.format(
        "{} before parent {} created_at {}",
        _ts("created_at"),
        pl.col("parent_comment_id"),
        _ts("__parent_at"),
    )
    return [error_rows(early, "created_at", "chronology", msg)] if early.height else []


def _moderators_are_members(checked: Mapping[str, Validation]) -> list[pl.DataFrame]:
    """A moderator is a current member: a membership row of the community with no left_at."""
    current = (
        checked["social_community_members"]
        .valid.filter(pl.col("left_at").is_null())
        .select("community_id", "user_id")
        .unique()
    )
    outside = checked["social_community_moderators"].valid.join(
        current, on=["community_id", "user_id"], how="anti"
    )
    msg = pl.format(
        "user {} is not a current member of community {}",
        pl.col("user_id"),
        pl.col("community_id"),
    )
    return [error_rows(outside, "user_id", "membership", msg)] if outside.height else []


def _memberships_do_not_overlap(checked: Mapping[str, Validation]) -> list[pl.DataFrame]:
    """A user joins a community again only after leaving it: memberships do not overlap."""
    pair = ["community_id", "user_id"]
    ordered = (
        checked["social_community_members"]
        .valid.sort([*pair, "joined_at", ROW])
        .with_columns(
            pl.col("joined_at").shift(1).over(pair).alias("__prev_joined"),
            pl.col("left_at").shift(1).over(pair).alias("__prev_left"),
            pl.int_range(pl.len()).over(pair).alias("__n"),
        )
    )
    overlap = ordered.filter(
        (pl.col("__n") > 0)
        & (pl.col("__prev_left").is_null() | (pl.col("joined_at") < pl.col("__prev_left")))
    )
    msg = pl.format(
        "{} overlaps the membership joined at {} (left {})",
        _ts("joined_at"),
        _ts("__prev_joined"),
        pl.coalesce(_ts("__prev_left"), pl.lit("never")),
    )
    return [error_rows(overlap, "joined_at", "overlap", msg)] if overlap.height else []


def _close_friends_are_friends(checked: Mapping[str, Validation]) -> list[pl.DataFrame]:
    """Close friends are a subset of friendships (stored once per pair, low id first)."""
    pairs = checked["social_friendships"].valid.select(
        pl.col("user_id").alias("__lo"), pl.col("friend_id").alias("__hi")
    )
    marked = checked["social_close_friends"].valid.with_columns(
        pl.min_horizontal("user_id", "friend_id").alias("__lo"),
        pl.max_horizontal("user_id", "friend_id").alias("__hi"),
    )
    strangers = marked.join(pairs, on=["__lo", "__hi"], how="anti")
    msg = pl.format("users {} and {} are not friends", pl.col("user_id"), pl.col("friend_id"))
    return [error_rows(strangers, "friend_id", "friendship", msg)] if strangers.height else []


def _pinned_in_its_community(checked: Mapping[str, Validation]) -> list[pl.DataFrame]:
    """A community pins only its own posts."""
    posts = checked["social_posts"].valid.select(
        "post_id", pl.col("community_id").alias("__post_community")
    )
    elsewhere = (
        checked["social_pinned_posts"]
        .valid.join(posts, on="post_id", how="inner")
        .filter(pl.col("__post_community").ne_missing(pl.col("community_id")))
    )
    where = pl.coalesce(
        pl.format("in community {}", pl.col("__post_community")), pl.lit("in no community")
    )
    msg = pl.format("post {} is {}, not in {}", pl.col("post_id"), where, pl.col("community_id"))
    return [error_rows(elsewhere, "post_id", "community", msg)] if elsewhere.height else []


_POSTS = frozenset({"social_posts"})

TABLE_RULES = (
    *(
        TableRule(entity, _after_post(entity, field), needs=_POSTS, per_record=True)
        for entity, field in (
            ("social_comments", "created_at"),
            ("social_reactions", "created_at"),
            ("social_shares", "created_at"),
            ("social_views", "viewed_at"),
            ("social_pinned_posts", "pinned_at"),
        )
    ),
    TableRule("social_comments", _reply_on_same_post),
    TableRule("social_comments", _reply_after_parent),
    TableRule(
        "social_community_moderators",
        _moderators_are_members,
        needs=frozenset({"social_community_members"}),
    ),
    TableRule("social_community_members", _memberships_do_not_overlap),
    TableRule(
        "social_close_friends",
        _close_friends_are_friends,
        needs=frozenset({"social_friendships"}),
    ),
    TableRule("social_pinned_posts", _pinned_in_its_community, needs=_POSTS),
)
