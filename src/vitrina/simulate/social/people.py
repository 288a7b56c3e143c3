"""The social network's people and ties before --start: users, friendships, follows and the rest.

Friendships follow LDBC SNB's datagen: users are sorted along correlation dimensions (country
then interest, interest then country, random), and each user befriends people close to them
in each order, at geometric distances; the number of friends a user seeks is heavy-tailed
(Pareto). Neighbours in an order share a country or an interest, which gives the network its
community structure. Follows go to people in proportion to a heavy-tailed fitness times
(1 + friends): popular creators gather most followers (preferential attachment).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from vitrina.simulate.base import DAY_MS
from vitrina.simulate.presets import SocialPreset
from vitrina.simulate.rng import stream
from vitrina.simulate.social.vocab import COUNTRY_WEIGHTS, TOPICS

__all__ = [
    "People",
    "build_people",
    "by_cdf",
    "csr",
    "lex_order",
    "pairs_after",
    "stable_order",
    "unique_pairs",
    "weighted",
]

# Share of the friends a user seeks along each correlation dimension (LDBC's split).
_DIMENSIONS = (0.5, 0.35, 0.15)
_WINDOW = 0.06  # geometric parameter of the distance to a friend in a sorted order


@dataclass
class People:
    """Users as columns (index i is user_id i + 1) and their ties, times in epoch ms."""

    created_ms: np.ndarray
    country: np.ndarray  # index into vocab.COUNTRIES
    interest: np.ndarray  # index into vocab.TOPICS
    activity: np.ndarray  # relative rate of posting, viewing and reacting
    fitness: np.ndarray  # relative appeal as a creator
    friends: dict[str, np.ndarray]  # user_id < friend_id, created_ms
    follows: dict[str, np.ndarray]  # follower_id, followee_id, created_ms
    audience_ptr: np.ndarray  # CSR over user index: who sees a user's posts
    audience: np.ndarray  # user indices (followers and friends)

    @property
    def n(self) -> int:
        return len(self.created_ms)

    @cached_property
    def activity_cum(self) -> np.ndarray:
        """Running sum of activity: draw users in proportion to how active they are."""
        return np.cumsum(self.activity)

    @cached_property
    def author_cum(self) -> np.ndarray:
        """Running sum of activity x sqrt(fitness): draw the authors of posts."""
        return np.cumsum(self.activity * np.sqrt(self.fitness))


def csr(owner: np.ndarray, member: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Group ``member`` by ``owner`` (indices < n): (pointers of n + 1, members in owner order)."""
    order = stable_order(owner)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=n), out=ptr[1:])
    return ptr, member[order]


def by_cdf(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Indices by inverse transform: the first entry of ``cdf`` (cumulative weights) above
    each ``u`` (uniform in [0, cdf[-1]))."""
    return np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)


def weighted(rng: np.random.Generator, cum: np.ndarray, n: int) -> np.ndarray:
    """``n`` indices drawn in proportion to the weights whose running sum is ``cum``."""
    return by_cdf(cum, rng.random(n) * cum[-1])


def stable_order(key: np.ndarray) -> np.ndarray:
    """``np.argsort(key, kind="stable")`` for integer keys, about three times faster: key and
    position packed into one int64 are unique, so numpy's fast unstable sort keeps ties in
    input order."""
    n = len(key)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    key = np.asarray(key, dtype=np.int64)
    bits = max((n - 1).bit_length(), 1)
    lo = int(key.min())
    if (int(key.max()) - lo) >> (62 - bits):
        return np.argsort(key, kind="stable")  # too wide to pack
    packed = ((key - lo) << bits) | np.arange(n, dtype=np.int64)
    packed.sort()
    return packed & ((1 << bits) - 1)  # type: ignore[no-any-return]


def lex_order(minor: np.ndarray, major: np.ndarray) -> np.ndarray:
    """``np.lexsort((minor, major))`` for non-negative integer columns, faster."""
    if len(minor) == 0:
        return np.zeros(0, dtype=np.int64)
    lo = int(minor.min())
    span = int(minor.max()) - lo + 1
    if (int(major.max()) + 1) * span >= 2**62:
        return np.lexsort((minor, major))
    return stable_order(major.astype(np.int64) * span + (minor - lo))


def unique_pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Positions of the first occurrence of each (a, b) pair of non-negative ints, in input order."""
    if len(a) == 0:
        return np.zeros(0, dtype=np.int64)
    key = a.astype(np.int64) * (int(b.max()) + 1) + b
    order = stable_order(key)
    ordered = key[order]
    new = np.ones(len(key), dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    return np.sort(order[new])


def pairs_after(rng: np.random.Generator, t0: np.ndarray, end_ms: int) -> np.ndarray:
    """A time in (t0, end_ms) for each row, nearer t0 than end (ties form soon after meeting)."""
    span = np.maximum(end_ms - 1 - t0, 1)
    return t0 + 1 + (span * rng.random(len(t0)) ** 2).astype(np.int64) % span  # type: ignore[no-any-return]


def _users(rng: np.random.Generator, p: SocialPreset, start_ms: int) -> dict[str, np.ndarray]:
    n = p.users
    # More people join lately than at first (a growing network); ids follow sign-up time.
    frac = np.sort(rng.random(n) ** 0.7)
    created = (
        start_ms - p.history_days * DAY_MS + (frac * (p.history_days * DAY_MS - 1)).astype(np.int64)
    )
    weights = np.asarray(COUNTRY_WEIGHTS, dtype=np.float64)
    country = by_cdf(np.cumsum(weights) / weights.sum(), rng.random(n))
    topic_w = 1.0 / np.arange(1, len(TOPICS) + 1) ** 0.8
    interest = by_cdf(np.cumsum(topic_w) / topic_w.sum(), rng.random(n))
    activity = rng.lognormal(0.0, 1.0, n)
    fitness = (rng.pareto(1.3, n) + 1.0) * np.sqrt(activity)
    return {
        "created": created,
        "country": country,
        "interest": interest,
        "activity": activity,
        "fitness": fitness,
    }


def _friendships(
    rng: np.random.Generator, u: dict[str, np.ndarray], avg: float
) -> tuple[np.ndarray, np.ndarray]:
    n = len(u["created"])
    alpha = 1.5
    seek = np.minimum(
        (rng.pareto(alpha, n) + 1.0) * (avg / 2) * (alpha - 1) / alpha,
        max(min(n // 4, int(40 * avg)), 1),
    )
    seek = np.floor(seek + rng.random(n)).astype(np.int64)
    key = rng.random(n)
    orders = (
        np.lexsort((key, u["interest"], u["country"])),
        np.lexsort((key, u["country"], u["interest"])),
        rng.permutation(n),
    )
    a_parts, b_parts = [], []
    for share, order in zip(_DIMENSIONS, orders, strict=True):
        k = np.floor(seek * share + rng.random(n)).astype(np.int64)
        pos = np.repeat(np.argsort(order), k)  # the user's position in this order
        step = rng.geometric(_WINDOW, len(pos))
        other = np.where(pos + step < n, pos + step, pos - step)
        ok = (other >= 0) & (other < n)
        a_parts.append(order[pos[ok]])
        b_parts.append(order[other[ok]])
    a, b = np.concatenate(a_parts), np.concatenate(b_parts)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    lo, hi = lo[keep], hi[keep]
    first = unique_pairs(lo, hi)
    return lo[first], hi[first]


def _follows(
    rng: np.random.Generator, u: dict[str, np.ndarray], degree: np.ndarray, avg: float
) -> tuple[np.ndarray, np.ndarray]:
    n = len(u["created"])
    out = np.floor(rng.lognormal(np.log(max(avg, 1.0)) - 0.5, 1.0, n) + rng.random(n))
    out = np.minimum(out.astype(np.int64), n - 1)
    follower = np.repeat(np.arange(n), out)
    # Followees in proportion to fitness x (1 + friends); half of them from the same country.
    weight = u["fitness"] * (1.0 + degree)
    by_country = np.lexsort((np.arange(n), u["country"]))
    cum = np.cumsum(weight[by_country])
    total = cum[-1]
    c_sorted = u["country"][by_country]
    c_lo = np.searchsorted(c_sorted, np.arange(c_sorted.max() + 1), side="left")
    c_hi = np.searchsorted(c_sorted, np.arange(c_sorted.max() + 1), side="right")
    before = np.where(c_lo > 0, cum[np.maximum(c_lo - 1, 0)], 0.0)
    within = cum[c_hi - 1] - before
    c = u["country"][follower]
    local = rng.random(len(follower)) < 0.5
    r = rng.random(len(follower))
    target = np.where(local, before[c] + r * within[c], r * total)
    followee = by_country[by_cdf(cum, target)]
    keep = followee != follower
    follower, followee = follower[keep], followee[keep]
    first = unique_pairs(follower, followee)
    return follower[first], followee[first]


def build_people(p: SocialPreset, seed: int, start_ms: int) -> People:
    """Users and their ties as of ``start_ms`` (every tie formed after both people joined)."""
    u = _users(stream(seed, "social", "users"), p, start_ms)
    n = p.users
    rng = stream(seed, "social", "friendships")
    fa, fb = _friendships(rng, u, p.avg_friends)
    f_created = pairs_after(rng, np.maximum(u["created"][fa], u["created"][fb]), start_ms)
    degree = np.bincount(fa, minlength=n) + np.bincount(fb, minlength=n)
    rng = stream(seed, "social", "follows")
    fr, fe = _follows(rng, u, degree, p.avg_follows)
    w_created = pairs_after(rng, np.maximum(u["created"][fr], u["created"][fe]), start_ms)
    # A user's posts reach their followers and both ends of each friendship.
    owner = np.concatenate([fe, fa, fb])
    seer = np.concatenate([fr, fb, fa])
    ptr, audience = csr(owner, seer, n)
    return People(
        created_ms=u["created"],
        country=u["country"],
        interest=u["interest"],
        activity=u["activity"],
        fitness=u["fitness"],
        friends={"user_id": fa + 1, "friend_id": fb + 1, "created_ms": f_created},
        follows={"follower_id": fr + 1, "followee_id": fe + 1, "created_ms": w_created},
        audience_ptr=ptr,
        audience=audience,
    )
