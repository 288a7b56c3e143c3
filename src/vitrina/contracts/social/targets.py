"""The tables social references point at (entity, column), named once."""

from __future__ import annotations

from typing import Final

__all__ = ["ADS", "ALBUMS", "COMMENTS", "COMMUNITIES", "MEDIA", "POSTS", "TOPICS", "USERS"]

USERS: Final = (("social_users", "user_id"),)
POSTS: Final = (("social_posts", "post_id"),)
COMMENTS: Final = (("social_comments", "comment_id"),)
ALBUMS: Final = (("social_albums", "album_id"),)
MEDIA: Final = (("social_media", "media_id"),)
TOPICS: Final = (("social_topics", "topic_id"),)
COMMUNITIES: Final = (("social_communities", "community_id"),)
ADS: Final = (("social_ads", "ad_id"),)
