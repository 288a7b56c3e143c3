"""The social snapshot tables of content, media, communities and money (numpy columns)."""

from __future__ import annotations

import numpy as np
import polars as pl

from vitrina.simulate.base import Table
from vitrina.simulate.rng import stream
from vitrina.simulate.social import vocab
from vitrina.simulate.social.frames import blank, labels, sentences
from vitrina.simulate.social.media import thumbnails_for
from vitrina.simulate.social.people import pairs_after
from vitrina.simulate.social.world import World

__all__ = ["content_tables"]

_POST_KINDS = ("post", "story", "reel")
_REACTIONS = ("like", "love", "haha", "wow", "sad", "angry")
_SUFFIXES = ("club", "fans", "circle", "talk", "hub", "corner", "lovers", "crew")


def _opt(ids: np.ndarray) -> np.ndarray:
    """A 0-based index, or −1 for none, as a 1-based id or −1."""
    return np.where(ids >= 0, ids + 1, -1)


def _content(w: World) -> dict[str, dict[str, object]]:
    c = w.content
    posts, com, r, s, m = (c[k] for k in ("posts", "comments", "reactions", "shares", "media"))
    quote = s["quote"].astype(bool)
    share_text = blank(sentences(s["share_id"], 3, 4), ~quote)
    thumbs = thumbnails_for(m)
    return {
        "social_posts": {
            "post_id": posts["post_id"],
            "user_id": posts["_author"] + 1,
            "kind": labels(_POST_KINDS, posts["_kind"]),
            "community_id": _opt(posts["_community"]),
            "topic_id": _opt(posts["_topic"]),
            "text": sentences(posts["post_id"], 1, 8),
            "created_at": posts["created_ms"],
        },
        "social_comments": {
            "comment_id": com["comment_id"],
            "post_id": com["post_id"],
            "user_id": com["user"] + 1,
            "parent_comment_id": com["parent_id"],
            "text": sentences(com["comment_id"], 2, 5),
            "created_at": com["t"],
        },
        "social_reactions": {
            "reaction_id": r["reaction_id"],
            "post_id": r["post_id"],
            "user_id": r["user"] + 1,
            "kind": labels(_REACTIONS, r["kind"]),
            "created_at": r["t"],
        },
        "social_shares": {
            "share_id": s["share_id"],
            "post_id": s["post_id"],
            "user_id": s["user"] + 1,
            "kind": labels(("repost", "quote"), s["quote"]),
            "text": share_text,
            "created_at": s["t"],
        },
        "social_albums": {
            "album_id": np.arange(1, len(w.albums["user"]) + 1, dtype=np.int64),
            "user_id": w.albums["user"] + 1,
            "title": sentences(np.arange(len(w.albums["user"])), 5, 2),
            "created_at": w.albums["created_ms"],
        },
        "social_media": {
            "media_id": m["media_id"],
            "user_id": m["user"] + 1,
            "kind": labels(("photo", "video"), m["video"]),
            "album_id": _opt(m["album"]),
            "width": m["width"],
            "height": m["height"],
            "duration_s": m["duration_s"],
            "size_bytes": m["size_bytes"],
            "created_at": m["created_ms"],
        },
        "social_attachments": {
            "attachment_id": m["media_id"],  # one attachment per uploaded item
            "media_id": m["media_id"],
            "post_id": m["post_id"],
            "comment_id": m["comment_id"],
        },
        "social_thumbnails": {
            "thumbnail_id": np.arange(1, len(thumbs["media"]) + 1, dtype=np.int64),
            "media_id": m["media_id"][thumbs["media"]],
            "width": thumbs["width"],
            "height": thumbs["height"],
        },
    }


def _communities(w: World) -> dict[str, dict[str, object]]:
    g, posts, com = w.groups, w.content["posts"], w.content["comments"]
    rng = stream(w.seed, "social", "moderation")
    k = len(g.communities["topic"])
    cid = np.arange(1, k + 1, dtype=np.int64)
    topic_names = labels(tuple(t.title() for t in vocab.TOPICS), g.communities["topic"])
    suffix = labels(_SUFFIXES, cid % len(_SUFFIXES))
    # Pinned: about one post in fifty of a community, pinned some time after it was posted.
    in_com = np.flatnonzero(posts["_community"] >= 0)
    pinned = in_com[rng.random(len(in_com)) < 0.02]
    # Complaints about posts, comments and communities, by someone else, after the fact.
    bad_posts = np.flatnonzero(rng.random(len(posts["post_id"])) < 0.005)
    bad_comments = np.flatnonzero(rng.random(len(com["comment_id"])) < 0.002)
    bad_com = rng.integers(0, k, max(k // 5, 1))
    target_t = np.concatenate(
        [
            posts["created_ms"][bad_posts],
            com["t"][bad_comments],
            g.communities["created_ms"][bad_com],
        ]
    )
    target_user = np.concatenate(
        [posts["_author"][bad_posts], com["user"][bad_comments], g.communities["owner"][bad_com]]
    )
    reporter = rng.integers(0, w.people.n, len(target_t))
    reporter = np.where(reporter == target_user, (reporter + 1) % w.people.n, reporter)
    created = pairs_after(rng, target_t, w.end_ms)
    n_p, n_c = len(bad_posts), len(bad_comments)
    none_p, none_c, none_k = np.full(n_p, -1), np.full(n_c, -1), np.full(len(bad_com), -1)
    order = np.argsort(created, kind="stable")
    return {
        "social_topics": {
            "topic_id": np.arange(1, len(vocab.TOPICS) + 1, dtype=np.int64),
            "name": pl.Series(vocab.TOPICS),
        },
        "social_communities": {
            "community_id": cid,
            "name": topic_names + " " + suffix + " " + pl.Series(cid).cast(pl.String),
            "kind": labels(("community", "group"), g.communities["kind"]),
            "topic_id": g.communities["topic"] + 1,
            "owner_id": g.communities["owner"] + 1,
            "created_at": g.communities["created_ms"],
        },
        "social_community_members": {
            "community_id": g.members["community"] + 1,
            "user_id": g.members["user"] + 1,
            "joined_at": g.members["joined_ms"],
            "left_at": g.members["left_ms"],
        },
        "social_community_moderators": {
            "community_id": g.moderators["community"] + 1,
            "user_id": g.moderators["user"] + 1,
            "since": g.moderators["since_ms"],
        },
        "social_pinned_posts": {
            "community_id": posts["_community"][pinned] + 1,
            "post_id": posts["post_id"][pinned],
            "pinned_at": pairs_after(rng, posts["created_ms"][pinned], w.end_ms),
        },
        "social_complaints": {
            "complaint_id": np.arange(1, len(order) + 1, dtype=np.int64),
            "reporter_id": (reporter + 1)[order],
            "community_id": np.concatenate([none_p, none_c, bad_com + 1])[order],
            "post_id": np.concatenate([posts["post_id"][bad_posts], none_c, none_k])[order],
            "comment_id": np.concatenate([none_p, com["comment_id"][bad_comments], none_k])[order],
            "reason": labels(vocab.COMPLAINT_REASONS, rng.integers(0, 6, len(order))),
            "created_at": created[order],
        },
    }


def _money(w: World) -> dict[str, dict[str, object]]:
    m: dict[str, Table] = w.money
    ads, sp, d, pay = m["ads"], m["sponsorships"], m["donations"], m["subscription_payments"]
    ad_id = np.arange(1, len(ads["advertiser"]) + 1, dtype=np.int64)
    return {
        "social_ads": {
            "ad_id": ad_id,
            "advertiser_id": ads["advertiser"] + 1,
            "name": sentences(ad_id, 9, 3),
            "budget": ads["budget_cents"],
            "created_at": ads["created_ms"],
        },
        "social_sponsorships": {
            "sponsorship_id": np.arange(1, len(sp["sponsor"]) + 1, dtype=np.int64),
            "sponsor_id": sp["sponsor"] + 1,
            "creator_id": sp["creator"] + 1,
            "amount": sp["amount_cents"],
            "start_date": sp["start_ms"],
            "end_date": sp["end_ms"],
        },
        "social_donations": {
            "donation_id": np.arange(1, len(d["from"]) + 1, dtype=np.int64),
            "from_user_id": d["from"] + 1,
            "to_user_id": d["to"] + 1,
            "amount": d["amount_cents"],
            "created_at": d["created_ms"],
        },
        "social_subscription_payments": {
            "payment_id": np.arange(1, len(pay["paid_ms"]) + 1, dtype=np.int64),
            "subscriber_id": pay["subscriber"] + 1,
            "creator_id": pay["creator"] + 1,
            "amount": pay["amount_cents"],
            "paid_at": pay["paid_ms"],
        },
    }


def content_tables(w: World) -> dict[str, dict[str, object]]:
    """Content, media, community and money tables of the world."""
    return {**_content(w), **_communities(w), **_money(w)}
