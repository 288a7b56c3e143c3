"""Contracts of social users: accounts, profiles, settings, privacy, status events, badges."""

from __future__ import annotations

from vitrina.contracts.base import Contract, Ref
from vitrina.contracts.social.targets import USERS
from vitrina.contracts.social.types import (
    Country,
    Flag,
    Language,
    MessagesFrom,
    ProfileVisibility,
    Status,
    Username,
)
from vitrina.contracts.types import DateOrTimestamp, Email, Name, PositiveId, Text, Timestamp, Token

__all__ = ["SocialUser", "UserBadge", "UserPrivacy", "UserProfile", "UserSettings", "UserStatus"]

_USER = (Ref("user_id", USERS),)


class SocialUser(Contract):
    """A member of the social network; username and e-mail are unique (ignoring case)."""

    entity = "social_users"
    domain = "social"
    primary_key = "user_id"
    unique = ("username", "email")

    user_id: PositiveId
    username: Username
    email: Email
    country: Country
    created_at: Timestamp


class UserProfile(Contract):
    """What a user shows about themselves: one profile per user."""

    entity = "social_user_profiles"
    domain = "social"
    primary_key = "user_id"
    references = _USER

    user_id: PositiveId
    display_name: Name
    bio: Text | None = None
    birth_date: DateOrTimestamp | None = None
    city: Name | None = None


class UserSettings(Contract):
    """A user's settings: interface language and whether notifications are on."""

    entity = "social_user_settings"
    domain = "social"
    primary_key = "user_id"
    references = _USER

    user_id: PositiveId
    language: Language
    notifications_enabled: Flag


class UserPrivacy(Contract):
    """Who may see a user's profile and who may message them."""

    entity = "social_user_privacy"
    domain = "social"
    primary_key = "user_id"
    references = _USER

    user_id: PositiveId
    profile_visibility: ProfileVisibility
    messages_from: MessagesFrom


class UserStatus(Contract):
    """A user went online or offline (an event; one change per user and instant)."""

    entity = "social_user_status"
    domain = "social"
    entity_kind = "event"
    primary_key = ("user_id", "changed_at")
    references = _USER

    user_id: PositiveId
    status: Status
    changed_at: Timestamp


class UserBadge(Contract):
    """A badge awarded to a user (each badge once per user)."""

    entity = "social_user_badges"
    domain = "social"
    primary_key = ("user_id", "badge")
    references = _USER

    user_id: PositiveId
    badge: Token
    awarded_at: Timestamp
