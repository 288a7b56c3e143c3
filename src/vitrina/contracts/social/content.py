"""Contracts of what users publish and do with it: posts, comments, reactions, shares, views."""

from __future__ import annotations

from vitrina.contracts.base import Contract, LatestPer, Ref
from vitrina.contracts.social.rowrules import not_self, text_for
from vitrina.contracts.social.targets import COMMENTS, COMMUNITIES, POSTS, TOPICS, USERS
from vitrina.contracts.social.types import PostKind, ReactionKind, ShareKind
from vitrina.contracts.types import PositiveId, Text, Timestamp

__all__ = ["Comment", "Post", "Reaction", "Share", "View"]


class Post(Contract):
    """A post, story or reel (stories expire after 24 h but stay in the data)."""

    entity = "social_posts"
    domain = "social"
    primary_key = "post_id"
    references = (
        Ref("user_id", USERS),
        Ref("community_id", COMMUNITIES),
        Ref("topic_id", TOPICS),
    )

    post_id: PositiveId
    user_id: PositiveId
    kind: PostKind
    community_id: PositiveId | None = None
    topic_id: PositiveId | None = None
    text: Text
    created_at: Timestamp


class Comment(Contract):
    """A comment on a post; a reply is a comment with a parent comment on the same post."""

    entity = "social_comments"
    domain = "social"
    primary_key = "comment_id"
    references = (
        Ref("post_id", POSTS),
        Ref("user_id", USERS),
        Ref("parent_comment_id", COMMENTS),
    )
    row_rules = (not_self("parent_comment_id", "comment_id", "a comment is not its own parent"),)

    comment_id: PositiveId
    post_id: PositiveId
    user_id: PositiveId
    parent_comment_id: PositiveId | None = None
    text: Text
    created_at: Timestamp


class Reaction(Contract):
    """A user's reaction to a post; a later reaction of the same user replaces the earlier one."""

    entity = "social_reactions"
    domain = "social"
    primary_key = "reaction_id"
    references = (Ref("post_id", POSTS), Ref("user_id", USERS))
    latest_per = LatestPer(("post_id", "user_id"), ("created_at", "reaction_id"))

    reaction_id: PositiveId
    post_id: PositiveId
    user_id: PositiveId
    kind: ReactionKind
    created_at: Timestamp


class Share(Contract):
    """A post shared again: a repost, or a quote (which carries text)."""

    entity = "social_shares"
    domain = "social"
    primary_key = "share_id"
    references = (Ref("post_id", POSTS), Ref("user_id", USERS))
    row_rules = (text_for("quote"),)

    share_id: PositiveId
    post_id: PositiveId
    user_id: PositiveId
    kind: ShareKind
    text: Text | None = None
    created_at: Timestamp


class View(Contract):
    """A user saw a post (an event)."""

    entity = "social_views"
    domain = "social"
    entity_kind = "event"
    primary_key = "view_id"
    references = (Ref("post_id", POSTS), Ref("user_id", USERS))

    view_id: PositiveId
    post_id: PositiveId
    user_id: PositiveId
    viewed_at: Timestamp
