"""Communities and groups: who owns them, who joins, leaves and comes back, who moderates.

A community's size is heavy-tailed; most members share its topic as their interest. Joins
spread from the community's creation to the end of the simulated period; a quarter of members
leave after a while and about a third of those rejoin (a new membership row).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vitrina.simulate.base import DAY_MS
from vitrina.simulate.presets import SocialPreset
from vitrina.simulate.rng import stream
from vitrina.simulate.social.people import People, by_cdf, csr, pairs_after, unique_pairs, weighted

__all__ = ["Groups", "build_groups", "community_at"]


@dataclass
class Groups:
    """Communities (index c is community_id c + 1), memberships and moderators."""

    communities: dict[str, np.ndarray]  # topic (index), owner (index), kind, created_ms
    members: dict[str, np.ndarray]  # community (index), user (index), joined_ms, left_ms (-1)
    moderators: dict[str, np.ndarray]  # community (index), user (index), since_ms
    by_user_ptr: np.ndarray  # CSR of membership rows by user
    by_user: np.ndarray


def _memberships(
    rng: np.random.Generator, com: dict[str, np.ndarray], people: People, size: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    n = people.n
    c = np.repeat(np.arange(len(size)), size)
    by_interest = np.argsort(people.interest, kind="stable")
    lo = np.searchsorted(people.interest[by_interest], com["topic"][c], side="left")
    hi = np.searchsorted(people.interest[by_interest], com["topic"][c], side="right")
    same = (rng.random(len(c)) < 0.7) & (hi > lo)
    pick = lo + (rng.random(len(c)) * (hi - lo)).astype(np.int64)
    user = np.where(same, by_interest[np.minimum(pick, n - 1)], rng.integers(0, n, len(c)))
    # The owner is a member from the start: listed first so the dedupe keeps that row.
    c = np.concatenate([np.arange(len(size)), c])
    user = np.concatenate([com["owner"], user])
    first = unique_pairs(c, user)
    return c[first], user[first]


def build_groups(p: SocialPreset, people: People, seed: int, start_ms: int, end_ms: int) -> Groups:
    """Communities created before ``start_ms``, with memberships up to ``end_ms``."""
    rng = stream(seed, "social", "communities")
    k = max(p.communities, 1)
    topic_w = 1.0 / np.arange(1, 21) ** 0.8
    topic = by_cdf(np.cumsum(topic_w) / topic_w.sum(), rng.random(k))
    fit = np.cumsum(people.fitness)
    owner = weighted(rng, fit, k)
    created = pairs_after(rng, people.created_ms[owner], start_ms)
    com = {
        "topic": topic,
        "owner": owner,
        "kind": (rng.random(k) < 0.3).astype(np.int8),  # 0 community, 1 group
        "created_ms": created,
    }
    size = np.minimum((rng.pareto(1.1, k) + 1.0) * 20, people.n // 2 + 1).astype(np.int64)
    c, user = _memberships(rng, com, people, size)
    is_owner = user == com["owner"][c]
    since = np.maximum(com["created_ms"][c], people.created_ms[user])
    joined = np.where(is_owner, com["created_ms"][c], pairs_after(rng, since, end_ms))
    stay = rng.exponential(60 * DAY_MS, len(c)).astype(np.int64) + 60_000
    leaves = ~is_owner & (rng.random(len(c)) < 0.25) & (joined + stay < end_ms)
    left = np.where(leaves, joined + stay, -1)
    # Some who left come back: a new row, joined after they left.
    back = leaves & (rng.random(len(c)) < 0.35)
    rejoined = left[back] + rng.exponential(20 * DAY_MS, back.sum()).astype(np.int64) + 60_000
    ok = rejoined < end_ms
    rc, ru, rj = c[back][ok], user[back][ok], rejoined[ok]
    stay2 = rng.exponential(60 * DAY_MS, len(rc)).astype(np.int64) + 60_000
    rl = np.where((rng.random(len(rc)) < 0.2) & (rj + stay2 < end_ms), rj + stay2, -1)
    order = np.lexsort(
        (np.concatenate([joined, rj]), np.concatenate([user, ru]), np.concatenate([c, rc]))
    )
    members = {
        "community": np.concatenate([c, rc])[order],
        "user": np.concatenate([user, ru])[order],
        "joined_ms": np.concatenate([joined, rj])[order],
        "left_ms": np.concatenate([left, rl])[order],
    }
    # Moderators: the owner and a few members who are still in (left_at empty).
    open_rows = np.flatnonzero(members["left_ms"] < 0)
    mc, mu = members["community"][open_rows], members["user"][open_rows]
    is_own = mu == com["owner"][mc]
    extra = rng.random(len(open_rows)) < 0.04
    mods = open_rows[is_own | extra]
    mod_join = members["joined_ms"][mods]
    mod_since = np.where(is_own[is_own | extra], mod_join, pairs_after(rng, mod_join, end_ms))
    first = unique_pairs(members["community"][mods], members["user"][mods])
    moderators = {
        "community": members["community"][mods][first],
        "user": members["user"][mods][first],
        "since_ms": mod_since[first],
    }
    ptr, rows = csr(members["user"], np.arange(len(members["user"])), people.n)
    return Groups(com, members, moderators, ptr, rows)


def community_at(
    g: Groups, rng: np.random.Generator, author: np.ndarray, t_ms: np.ndarray, share: float
) -> np.ndarray:
    """For about ``share`` of the posts, a community the author is a member of at ``t_ms``
    (its index), else −1."""
    start, count = g.by_user_ptr[author], np.diff(g.by_user_ptr)[author]
    row = (
        g.by_user[
            np.minimum(
                start + (rng.random(len(author)) * count).astype(np.int64),
                max(len(g.by_user) - 1, 0),
            )
        ]
        if len(g.by_user)
        else author * 0
    )
    m = g.members
    inside = (
        (
            (count > 0)
            & (rng.random(len(author)) < share)
            & (m["joined_ms"][row] < t_ms)
            & ((m["left_ms"][row] < 0) | (m["left_ms"][row] > t_ms))
        )
        if len(g.by_user)
        else np.zeros(len(author), dtype=bool)
    )
    return np.where(inside, m["community"][row] if len(g.by_user) else -1, -1)
