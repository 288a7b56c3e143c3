"""Contracts of media: albums, photos and videos, their attachments to content, thumbnails."""

from __future__ import annotations

from vitrina.contracts.base import Contract, Ref
from vitrina.contracts.social.rowrules import exactly_one
from vitrina.contracts.social.targets import ALBUMS, COMMENTS, MEDIA, POSTS, USERS
from vitrina.contracts.social.types import MediaKind
from vitrina.contracts.types import Name, PositiveId, Timestamp

__all__ = ["Album", "Attachment", "Media", "Thumbnail"]


class Album(Contract):
    """A user's album of media."""

    entity = "social_albums"
    domain = "social"
    primary_key = "album_id"
    references = (Ref("user_id", USERS),)

    album_id: PositiveId
    user_id: PositiveId
    title: Name
    created_at: Timestamp


class Media(Contract):
    """A photo or video a user uploaded (its metadata; a video has a duration in seconds)."""

    entity = "social_media"
    domain = "social"
    primary_key = "media_id"
    references = (Ref("user_id", USERS), Ref("album_id", ALBUMS))

    media_id: PositiveId
    user_id: PositiveId
    kind: MediaKind
    album_id: PositiveId | None = None
    width: PositiveId
    height: PositiveId
    duration_s: PositiveId | None = None
    size_bytes: PositiveId
    created_at: Timestamp


class Attachment(Contract):
    """A media item attached to a post or to a comment (exactly one of them)."""

    entity = "social_attachments"
    domain = "social"
    primary_key = "attachment_id"
    references = (
        Ref("media_id", MEDIA),
        Ref("post_id", POSTS),
        Ref("comment_id", COMMENTS),
    )
    row_rules = (exactly_one("post_id", "comment_id"),)

    attachment_id: PositiveId
    media_id: PositiveId
    post_id: PositiveId | None = None
    comment_id: PositiveId | None = None


class Thumbnail(Contract):
    """A smaller rendition of a media item."""

    entity = "social_thumbnails"
    domain = "social"
    primary_key = "thumbnail_id"
    references = (Ref("media_id", MEDIA),)

    thumbnail_id: PositiveId
    media_id: PositiveId
    width: PositiveId
    height: PositiveId
