"""Contracts of communities: topics, communities and groups, members, moderators, pins, complaints."""

from __future__ import annotations

from vitrina.contracts.base import Contract, Ref
from vitrina.contracts.social.rowrules import after, at_least_one
from vitrina.contracts.social.targets import COMMENTS, COMMUNITIES, POSTS, TOPICS, USERS
from vitrina.contracts.social.types import CommunityKind
from vitrina.contracts.types import Name, PositiveId, Timestamp

__all__ = [
    "Community",
    "CommunityMember",
    "CommunityModerator",
    "Complaint",
    "PinnedPost",
    "Topic",
]


class Topic(Contract):
    """A subject posts and communities are about; names are unique."""

    entity = "social_topics"
    domain = "social"
    primary_key = "topic_id"
    unique = ("name",)

    topic_id: PositiveId
    name: Name


class Community(Contract):
    """A community (open) or a group, on a topic, owned by a user."""

    entity = "social_communities"
    domain = "social"
    primary_key = "community_id"
    references = (Ref("topic_id", TOPICS), Ref("owner_id", USERS))

    community_id: PositiveId
    name: Name
    kind: CommunityKind
    topic_id: PositiveId
    owner_id: PositiveId
    created_at: Timestamp


class CommunityMember(Contract):
    """A membership: joined, and left when ``left_at`` is set; joining again is a new row."""

    entity = "social_community_members"
    domain = "social"
    primary_key = ("community_id", "user_id", "joined_at")
    references = (Ref("community_id", COMMUNITIES), Ref("user_id", USERS))
    row_rules = (after("left_at", "joined_at", strict=True),)

    community_id: PositiveId
    user_id: PositiveId
    joined_at: Timestamp
    left_at: Timestamp | None = None


class CommunityModerator(Contract):
    """A moderator of a community (a current member of it)."""

    entity = "social_community_moderators"
    domain = "social"
    primary_key = ("community_id", "user_id")
    references = (Ref("community_id", COMMUNITIES), Ref("user_id", USERS))

    community_id: PositiveId
    user_id: PositiveId
    since: Timestamp


class PinnedPost(Contract):
    """A post of a community pinned to its top."""

    entity = "social_pinned_posts"
    domain = "social"
    primary_key = ("community_id", "post_id")
    references = (Ref("community_id", COMMUNITIES), Ref("post_id", POSTS))

    community_id: PositiveId
    post_id: PositiveId
    pinned_at: Timestamp


class Complaint(Contract):
    """A user reports a community, a post or a comment (at least one of them)."""

    entity = "social_complaints"
    domain = "social"
    primary_key = "complaint_id"
    references = (
        Ref("reporter_id", USERS),
        Ref("community_id", COMMUNITIES),
        Ref("post_id", POSTS),
        Ref("comment_id", COMMENTS),
    )
    row_rules = (at_least_one("community_id", "post_id", "comment_id"),)

    complaint_id: PositiveId
    reporter_id: PositiveId
    community_id: PositiveId | None = None
    post_id: PositiveId | None = None
    comment_id: PositiveId | None = None
    reason: Name
    created_at: Timestamp
