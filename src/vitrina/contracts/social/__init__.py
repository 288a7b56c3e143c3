"""The social domain: users, ties, content, media, communities and money (tables ``social_*``)."""

from __future__ import annotations

from vitrina.contracts.domain import Domain
from vitrina.contracts.social.communities import (
    Community,
    CommunityMember,
    CommunityModerator,
    Complaint,
    PinnedPost,
    Topic,
)
from vitrina.contracts.social.content import Comment, Post, Reaction, Share, View
from vitrina.contracts.social.media import Album, Attachment, Media, Thumbnail
from vitrina.contracts.social.money import (
    Ad,
    AdClick,
    AdImpression,
    Donation,
    Sponsorship,
    SubscriptionPayment,
)
from vitrina.contracts.social.rules import TABLE_RULES
from vitrina.contracts.social.ties import Block, CloseFriend, Follow, Friendship, Mute, Subscription
from vitrina.contracts.social.users import (
    SocialUser,
    UserBadge,
    UserPrivacy,
    UserProfile,
    UserSettings,
    UserStatus,
)

__all__ = [
    "DOMAIN",
    "Ad",
    "AdClick",
    "AdImpression",
    "Album",
    "Attachment",
    "Block",
    "CloseFriend",
    "Comment",
    "Community",
    "CommunityMember",
    "CommunityModerator",
    "Complaint",
    "Donation",
    "Follow",
    "Friendship",
    "Media",
    "Mute",
    "PinnedPost",
    "Post",
    "Reaction",
    "Share",
    "SocialUser",
    "Sponsorship",
    "Subscription",
    "SubscriptionPayment",
    "Thumbnail",
    "Topic",
    "UserBadge",
    "UserPrivacy",
    "UserProfile",
    "UserSettings",
    "UserStatus",
    "View",
]

# The six groups of the domain (users, ties, content, media, communities, money), with a
# table listed before the tables that reference it (topics and communities before posts).
DOMAIN = Domain(
    name="social",
    description="The social network: users, ties, content, media, communities and money.",
    entities=(
        SocialUser,
        UserProfile,
        UserSettings,
        UserPrivacy,
        UserStatus,
        UserBadge,
        Friendship,
        Follow,
        Block,
        Mute,
        CloseFriend,
        Subscription,
        Topic,
        Community,
        Post,
        Comment,
        Reaction,
        Share,
        View,
        Album,
        Media,
        Attachment,
        Thumbnail,
        CommunityMember,
        CommunityModerator,
        PinnedPost,
        Complaint,
        Ad,
        AdImpression,
        AdClick,
        Sponsorship,
        Donation,
        SubscriptionPayment,
    ),
    table_rules=TABLE_RULES,
    prefix="social_",
    pipeline=True,
)
