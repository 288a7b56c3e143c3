"""Contracts of ties between users: friendships, follows, blocks, mutes, close friends, subscriptions."""

from __future__ import annotations

from vitrina.contracts.base import Contract, Ref
from vitrina.contracts.social.rowrules import not_self, ordered_pair
from vitrina.contracts.social.targets import USERS
from vitrina.contracts.types import PositiveId, Timestamp, Token

__all__ = ["Block", "CloseFriend", "Follow", "Friendship", "Mute", "Subscription"]


def _users(*fields: str) -> tuple[Ref, ...]:
    return tuple(Ref(f, USERS) for f in fields)


class Friendship(Contract):
    """Two users are friends: undirected, one row per pair with ``user_id < friend_id``."""

    entity = "social_friendships"
    domain = "social"
    primary_key = ("user_id", "friend_id")
    references = _users("user_id", "friend_id")
    row_rules = (
        not_self("friend_id", "user_id", "no self-friendship"),
        ordered_pair("user_id", "friend_id"),
    )

    user_id: PositiveId
    friend_id: PositiveId
    created_at: Timestamp


class Follow(Contract):
    """A user follows another (directed)."""

    entity = "social_follows"
    domain = "social"
    primary_key = ("follower_id", "followee_id")
    references = _users("follower_id", "followee_id")
    row_rules = (not_self("followee_id", "follower_id", "no self-follow"),)

    follower_id: PositiveId
    followee_id: PositiveId
    created_at: Timestamp


class Block(Contract):
    """A user blocks another."""

    entity = "social_blocks"
    domain = "social"
    primary_key = ("user_id", "blocked_user_id")
    references = _users("user_id", "blocked_user_id")
    row_rules = (not_self("blocked_user_id", "user_id", "no self-block"),)

    user_id: PositiveId
    blocked_user_id: PositiveId
    created_at: Timestamp


class Mute(Contract):
    """A user mutes another (hides their posts without unfollowing)."""

    entity = "social_mutes"
    domain = "social"
    primary_key = ("user_id", "muted_user_id")
    references = _users("user_id", "muted_user_id")
    row_rules = (not_self("muted_user_id", "user_id", "no self-mute"),)

    user_id: PositiveId
    muted_user_id: PositiveId
    created_at: Timestamp


class CloseFriend(Contract):
    """A user marks a friend as a close friend (directed; the pair must be a friendship)."""

    entity = "social_close_friends"
    domain = "social"
    primary_key = ("user_id", "friend_id")
    references = _users("user_id", "friend_id")
    row_rules = (not_self("friend_id", "user_id", "no self-friendship"),)

    user_id: PositiveId
    friend_id: PositiveId
    created_at: Timestamp


class Subscription(Contract):
    """A paid follow: a subscriber pays a creator for a tier."""

    entity = "social_subscriptions"
    domain = "social"
    primary_key = ("subscriber_id", "creator_id")
    references = _users("subscriber_id", "creator_id")
    row_rules = (not_self("creator_id", "subscriber_id", "no self-subscription"),)

    subscriber_id: PositiveId
    creator_id: PositiveId
    tier: Token
    created_at: Timestamp
