"""The social snapshot tables as of the end of the run, in SOCIAL.md's shapes (numpy columns).

Columns are numpy arrays named as the contract's fields; ``to_arrow`` types them by name
(times in epoch ms, money in cents, −1 for an empty nullable id or time).
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa

from vitrina.simulate.output import decimals
from vitrina.simulate.rng import stream
from vitrina.simulate.shop.vocab import EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES
from vitrina.simulate.social import vocab
from vitrina.simulate.social.frames import arrow, blank, labels, sentences
from vitrina.simulate.social.people import pairs_after, unique_pairs
from vitrina.simulate.social.tables_content import content_tables
from vitrina.simulate.social.world import World

__all__ = ["TIME_FIELDS", "social_tables", "to_arrow"]

TIME_FIELDS = frozenset(
    ("created_at", "joined_at", "left_at", "since", "pinned_at", "awarded_at", "paid_at",
     "start_date", "end_date", "birth_date")
)  # fmt: skip
_MONEY = frozenset(("amount", "budget"))


def _nullable(v: np.ndarray) -> pa.Array:
    """int64 with nulls where negative, from buffers (``pa.array(mask=)`` costs seconds on
    first use)."""
    v = np.ascontiguousarray(v, dtype=np.int64)
    valid = v >= 0
    bitmap = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(pa.int64(), len(v), [bitmap, pa.py_buffer(v)])


def to_arrow(entity: str, cols: dict[str, object]) -> pa.Table:
    """Type numpy columns by field name and build the entity's Arrow table."""
    out: dict[str, pa.Array | np.ndarray] = {}
    for name, v in cols.items():
        if isinstance(v, pl.Series):
            out[name] = v.to_arrow().cast(pa.string())
        elif name in TIME_FIELDS:
            out[name] = _nullable(np.asarray(v)).cast(pa.timestamp("ms", tz="UTC"))
        elif name in _MONEY:
            out[name] = decimals(np.asarray(v))
        elif isinstance(v, np.ndarray) and v.dtype.kind == "b":
            bits = pa.py_buffer(np.packbits(v, bitorder="little"))
            out[name] = pa.Array.from_buffers(pa.bool_(), len(v), [None, bits])
        elif isinstance(v, np.ndarray) and v.dtype.kind in "iu":
            out[name] = _nullable(v)
        else:
            raise TypeError(f"{entity}.{name}: unexpected column type {type(v).__name__}")
    return arrow(entity, out)


def _users(w: World) -> dict[str, dict[str, object]]:
    p, n = w.people, w.people.n
    rng = stream(w.seed, "social", "profiles")
    uid = np.arange(1, n + 1, dtype=np.int64)
    first = labels(tuple(FIRST_NAMES), rng.integers(0, len(FIRST_NAMES), n))
    last = labels(tuple(LAST_NAMES), rng.integers(0, len(LAST_NAMES), n))
    ids = pl.Series(uid).cast(pl.String)
    username = (
        first.str.to_lowercase().str.slice(0, 8)
        + "."
        + last.str.to_lowercase().str.slice(0, 10)
        + ids
    )
    domain = labels(EMAIL_DOMAINS, rng.integers(0, len(EMAIL_DOMAINS), n))
    country = np.asarray(p.country)
    no_bio, no_city, no_birth = (rng.random(n) < s for s in (0.4, 0.5, 0.3))
    age_days = rng.integers(16 * 365, 70 * 365, n)
    birth = w.start_ms - age_days * 86_400_000
    birth = np.where(no_birth, -1, birth - birth % 86_400_000)
    bio = blank(sentences(uid, 7, 6), no_bio)
    city = blank(labels(vocab.CITIES, country), no_city)
    vis = np.searchsorted([0.6, 0.9], rng.random(n), side="right")
    msg = np.searchsorted([0.5, 0.9], rng.random(n), side="right")
    badges = _badges(w, rng)
    return {
        "social_users": {
            "user_id": uid,
            "username": username,
            "email": username + "@" + domain,
            "country": labels(vocab.COUNTRIES, country),
            "created_at": p.created_ms,
        },
        "social_user_profiles": {
            "user_id": uid,
            "display_name": first + " " + last,
            "bio": bio,
            "birth_date": birth,
            "city": city,
        },
        "social_user_settings": {
            "user_id": uid,
            "language": labels(vocab.LANGUAGES, country),
            "notifications_enabled": rng.random(n) < 0.85,
        },
        "social_user_privacy": {
            "user_id": uid,
            "profile_visibility": labels(("public", "friends", "private"), vis),
            "messages_from": labels(("everyone", "friends", "nobody"), msg),
        },
        "social_user_badges": badges,
    }


def _badges(w: World, rng: np.random.Generator) -> dict[str, object]:
    p, n = w.people, w.people.n
    followers = np.bincount(p.follows["followee_id"] - 1, minlength=n)
    moderators = np.zeros(n, dtype=bool)
    moderators[w.groups.moderators["user"]] = True
    earned = (
        np.arange(n) < max(n // 20, 1),  # early_adopter: the first 5 % to sign up
        followers >= np.quantile(followers, 0.99),  # verified
        followers >= np.quantile(followers, 0.98),  # top_creator
        rng.random(n) < 0.05,  # helpful
        rng.random(n) < 0.1 * np.minimum(p.activity, 3),  # streak_30
        moderators,
    )
    user = np.concatenate([np.flatnonzero(e) for e in earned])
    badge = np.concatenate([np.full(int(e.sum()), i) for i, e in enumerate(earned)])
    return {
        "user_id": user + 1,
        "badge": labels(vocab.BADGES, badge),
        "awarded_at": pairs_after(rng, p.created_ms[user], w.end_ms),
    }


def _ties(w: World) -> dict[str, dict[str, object]]:
    p, n = w.people, w.people.n
    rng = stream(w.seed, "social", "ties")
    fr = p.friends
    # Close friends: a tenth of the friendships, marked by one side (directed).
    close = np.flatnonzero(rng.random(len(fr["user_id"])) < 0.1)
    flip = rng.random(len(close)) < 0.5
    a, b = fr["user_id"][close], fr["friend_id"][close]
    mutes = np.flatnonzero(rng.random(len(p.follows["follower_id"])) < 0.03)
    k = int(n * 0.02)
    ba, bb = rng.integers(0, n, k), rng.integers(0, n, k)
    keep = ba != bb
    ba, bb = ba[keep], bb[keep]
    first = unique_pairs(ba, bb)
    ba, bb = ba[first], bb[first]
    subs = w.money["subscriptions"]
    block_at = pairs_after(rng, np.maximum(p.created_ms[ba], p.created_ms[bb]), w.start_ms)
    return {
        "social_friendships": {
            **{k: fr[k] for k in ("user_id", "friend_id")},
            "created_at": fr["created_ms"],
        },
        "social_follows": {
            "follower_id": p.follows["follower_id"],
            "followee_id": p.follows["followee_id"],
            "created_at": p.follows["created_ms"],
        },
        "social_blocks": {"user_id": ba + 1, "blocked_user_id": bb + 1, "created_at": block_at},
        "social_mutes": {
            "user_id": p.follows["follower_id"][mutes],
            "muted_user_id": p.follows["followee_id"][mutes],
            "created_at": pairs_after(rng, p.follows["created_ms"][mutes], w.end_ms),
        },
        "social_close_friends": {
            "user_id": np.where(flip, b, a),
            "friend_id": np.where(flip, a, b),
            "created_at": pairs_after(rng, fr["created_ms"][close], w.end_ms),
        },
        "social_subscriptions": {
            "subscriber_id": subs["subscriber"] + 1,
            "creator_id": subs["creator"] + 1,
            "tier": labels(vocab.TIERS, subs["tier"]),
            "created_at": subs["created_ms"],
        },
    }


def social_tables(w: World) -> dict[str, dict[str, object]]:
    """Every snapshot entity's columns (event entities travel through the event log)."""
    return {**_users(w), **_ties(w), **content_tables(w)}
