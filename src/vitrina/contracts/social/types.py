"""Field types of the social contracts: usernames, countries, languages, flags and the enums."""

from __future__ import annotations

from typing import Annotated, Final, Literal, get_args

from pydantic import Field

from vitrina.contracts.types import Kind

__all__ = [
    "COMMUNITY_KINDS",
    "COUNTRY_PATTERN",
    "LANGUAGE_PATTERN",
    "MEDIA_KINDS",
    "MESSAGES_FROM",
    "PATTERN_NAMES",
    "POST_KINDS",
    "PROFILE_VISIBILITIES",
    "REACTION_KINDS",
    "SHARE_KINDS",
    "STATUSES",
    "USERNAME_PATTERN",
    "CommunityKind",
    "Country",
    "Flag",
    "Language",
    "MediaKind",
    "MessagesFrom",
    "PostKind",
    "ProfileVisibility",
    "ReactionKind",
    "ShareKind",
    "Status",
    "Username",
]

ProfileVisibility = Literal["public", "friends", "private"]
MessagesFrom = Literal["everyone", "friends", "nobody"]
Status = Literal["online", "offline"]
PostKind = Literal["post", "story", "reel"]
ReactionKind = Literal["like", "love", "haha", "wow", "sad", "angry"]
ShareKind = Literal["repost", "quote"]
MediaKind = Literal["photo", "video"]
CommunityKind = Literal["community", "group"]

PROFILE_VISIBILITIES: Final = get_args(ProfileVisibility)
MESSAGES_FROM: Final = get_args(MessagesFrom)
STATUSES: Final = get_args(Status)
POST_KINDS: Final = get_args(PostKind)
REACTION_KINDS: Final = get_args(ReactionKind)
SHARE_KINDS: Final = get_args(ShareKind)
MEDIA_KINDS: Final = get_args(MediaKind)
COMMUNITY_KINDS: Final = get_args(CommunityKind)

# Rust-regex syntax, run alike by pydantic and polars (see vitrina.contracts.types).
USERNAME_PATTERN: Final = r"^[A-Za-z0-9_.]+$"
COUNTRY_PATTERN: Final = r"^[A-Z]{2}$"
LANGUAGE_PATTERN: Final = r"^[a-z]{2,3}(-[A-Z]{2})?$"

# How messages name the patterns ("not a username: 'a b'").
PATTERN_NAMES: Final = {
    USERNAME_PATTERN: "a username (letters, digits, _ and .)",
    COUNTRY_PATTERN: "an ISO 3166-1 alpha-2 country code",
    LANGUAGE_PATTERN: "a language tag (en, pt-BR)",
}

Username = Annotated[
    str, Kind("str"), Field(strict=True, min_length=1, max_length=30, pattern=USERNAME_PATTERN)
]
Country = Annotated[str, Kind("str"), Field(strict=True, pattern=COUNTRY_PATTERN)]
Language = Annotated[str, Kind("str"), Field(strict=True, pattern=LANGUAGE_PATTERN)]
# JSON true or false only: 1, "yes" or "true" (a string) are refused.
Flag = Annotated[bool, Field(strict=True)]
