"""One hour of content: posts, and the cascades of views, shares, comments and reactions they set off.

A post reaches its author's audience (followers and friends), each of whom sees it with a
probability scaled by the post's appeal (lognormal, so heavy-tailed). Every viewer may share
it, and a share shows it to the sharer's audience in turn: a branching process, run one
generation at a time over arrays of all the hour's posts at once. Delays are lognormal
(minutes, with a long tail), stories stop being seen 24 h after they are posted, and nothing
happens after the end of the run. Comments, replies and reactions come from the viewers.
"""

from __future__ import annotations

import numpy as np

from vitrina.jit import kernel
from vitrina.simulate.base import DAY_MS, HOUR_MS, Table
from vitrina.simulate.social.groups import Groups, community_at
from vitrina.simulate.social.people import People, lex_order, stable_order, unique_pairs, weighted

__all__ = ["REACTION_MIX", "activity_cycle", "content_hour", "lognormal", "times_in"]

_GENERATIONS = 8
_SHARERS = 25
_MINUTE = 60_000
# Reaction kinds (like, love, haha, wow, sad, angry) for a neutral, funny, sad and amazing post.
REACTION_MIX = np.array(
    [
        [0.62, 0.18, 0.07, 0.05, 0.05, 0.03],
        [0.35, 0.10, 0.45, 0.06, 0.02, 0.02],
        [0.30, 0.12, 0.02, 0.06, 0.38, 0.12],
        [0.35, 0.15, 0.05, 0.40, 0.03, 0.02],
    ]
)
_REACTION_CDF = np.cumsum(REACTION_MIX, axis=1)
_MOODS = np.cumsum([0.7, 0.15, 0.1, 0.05])
_MEAN = 1.0


def activity_cycle(t_ms: np.ndarray) -> np.ndarray:
    """Relative activity at each time (UTC): low before dawn, a lunch bump, an evening peak,
    a fifth more at weekends."""
    h = (t_ms % DAY_MS) / HOUR_MS
    evening = np.exp(-(((h - 20.5 + 12) % 24 - 12) ** 2) / (2 * 3.5**2))
    lunch = np.exp(-((h - 12.5) ** 2) / (2 * 2.0**2))
    daily = 0.12 + 0.75 * evening + 0.3 * lunch
    weekday = (t_ms // DAY_MS + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    return daily * np.where(weekday >= 5, 1.2, 1.0) / _MEAN  # type: ignore[no-any-return]


# Scaled so that a week averages 1 (a rate per day is the daily mean); the peak bounds thinning.
_MEAN = float(activity_cycle(np.arange(0, 7 * DAY_MS, _MINUTE)).mean())
_PEAK = float(activity_cycle(np.arange(0, 7 * DAY_MS, _MINUTE)).max()) * 1.01


def times_in(rng: np.random.Generator, per_ms: float, t0: int, t1: int) -> np.ndarray:
    """Sorted event times in [t0, t1) of a Poisson process of mean rate ``per_ms`` x the cycle."""
    n = int(rng.poisson(per_ms * (t1 - t0) * _PEAK))
    t = t0 + (rng.random(n) * (t1 - t0)).astype(np.int64)
    keep = rng.random(n) * _PEAK < activity_cycle(t)
    return np.sort(t[keep])  # type: ignore[no-any-return]


def lognormal(rng: np.random.Generator, mean: float, sigma: float, n: int) -> np.ndarray:
    """``rng.lognormal(mean, sigma, n)``: the same normal draws, raised by numpy's exp over
    the whole array (a third faster than the generator's exp per draw; the same values)."""
    return np.exp(rng.normal(mean, sigma, n))  # type: ignore[no-any-return]


# What a viewer may do next, with a chance per post (see _cascade): share, comment, react.
_SHARE, _COMMENT, _REACT = 0, 1, 2


@kernel
def _spread(
    p_post: np.ndarray,
    p_user: np.ndarray,
    p_t: np.ndarray,
    k: np.ndarray,
    u: np.ndarray,
    delay: np.ndarray,
    u_act: np.ndarray,
    p_act: np.ndarray,
    ptr: np.ndarray,
    aud: np.ndarray,
    expires: np.ndarray,
    author: np.ndarray,
    out: np.ndarray,
    acts: np.ndarray,
    count: np.ndarray,
) -> int:
    """Views from ``k[i]`` audience members of each spreader ``i`` (picked by ``u``, seen
    ``delay`` after the spreader's time), keeping those before the post expires and not by
    its author: rows (post, user, t) of ``out``; returns how many. A viewer also takes each
    action ``a`` when ``u_act[a]`` is below the post's ``p_act[a]``: rows of ``acts[a]``,
    ``count[a]`` of them."""
    m = 0
    v = 0
    for i in range(len(p_post)):
        # Unsigned subscripts: numba skips its negative-index wrap-around for them.
        post = np.uint64(p_post[i])
        user = np.uint64(p_user[i])
        start = ptr[user]
        size = ptr[user + np.uint64(1)] - start
        for _ in range(k[i]):
            who = aud[np.uint64(start + np.int64(u[v] * size))]
            t = p_t[i] + delay[v]
            if t < expires[post] and who != author[post]:
                out[0, np.uint64(m)] = post
                out[1, np.uint64(m)] = who
                out[2, np.uint64(m)] = t
                m += 1
                for a in range(len(count)):
                    if u_act[a, np.uint64(v)] < p_act[a, post]:
                        c = np.uint64(count[a])
                        acts[a, 0, c] = post
                        acts[a, 1, c] = who
                        acts[a, 2, c] = t
                        count[a] += 1
            v += 1
    return m


def _cascade(
    rng: np.random.Generator, people: People, posts: Table, end_ms: int
) -> dict[str, Table]:
    """Views and shares of the posts, generation after generation of audiences; and the
    viewers who go on to comment or react (rows post, user, t of the view)."""
    ptr, aud = people.audience_ptr, people.audience
    size = np.diff(ptr)
    q, author = posts["_appeal"], posts["_author"]
    expires = np.where(posts["_kind"] == 1, posts["created_ms"] + DAY_MS, end_ms)
    expires = np.minimum(expires, end_ms)
    p_post, p_user, p_t = np.arange(len(q)), author, posts["created_ms"]
    # Appealing posts are shared, commented on and reacted to more (chances per view).
    p_act = np.stack(
        [
            np.minimum(0.002 * q**1.5, 0.05),
            np.minimum(0.004 * q, 0.1),
            np.minimum(0.03 * q**0.7, 0.3),
        ]
    )
    empty = np.zeros(0, dtype=np.int64)
    parts: dict[str, list[Table]] = {
        name: [{"post": empty, "user": empty, "t": empty}]
        for name in ("views", "shares", "commenters", "reactors")
    }
    for gen in range(_GENERATIONS):
        if len(p_post) == 0:
            break
        see = np.minimum((0.3 if gen == 0 else 0.08) * q[p_post], 1.0)
        k = rng.binomial(size[p_user], see)
        n = int(k.sum())
        u = rng.random(n)
        delay = lognormal(rng, np.log(6 * _MINUTE), 1.3, n).astype(np.int64) + 1_000
        u_act = rng.random((3, n))
        out, acts = np.empty((3, n), dtype=np.int64), np.empty((3, 3, n), dtype=np.int64)
        count = np.zeros(3, dtype=np.int64)
        m = _spread(
            p_post,
            p_user,
            p_t,
            k,
            u,
            delay,
            u_act,
            p_act,
            ptr,
            aud,
            expires,
            author,
            out,
            acts,
            count,
        )
        parts["views"].append({"post": out[0, :m], "user": out[1, :m], "t": out[2, :m]})
        for name, a in (("commenters", _COMMENT), ("reactors", _REACT)):
            c = count[a]
            parts[name].append(
                {"post": acts[a, 0, :c], "user": acts[a, 1, :c], "t": acts[a, 2, :c]}
            )
        s = count[_SHARE]
        sp, su = acts[_SHARE, 0, :s], acts[_SHARE, 1, :s]
        st = acts[_SHARE, 2, :s] + rng.exponential(2 * _MINUTE, s).astype(np.int64) + 1_000
        # A post's audience saturates: at most _SHARERS new sharers per post and generation.
        order = lex_order(st, sp)
        sp, su, st = sp[order], su[order], st[order]
        rank = np.arange(len(sp)) - np.searchsorted(sp, sp, side="left")
        ok = (st < end_ms) & (rank < _SHARERS)
        sp, su, st = sp[ok], su[ok], st[ok]
        parts["shares"].append({"post": sp, "user": su, "t": st})
        p_post, p_user, p_t = sp, su, st
    return {name: _join(p) for name, p in parts.items()}


def _join(parts: list[Table]) -> Table:
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _comments(rng: np.random.Generator, picked: Table, end_ms: int) -> Table:
    """Comments by the viewers ``picked`` to comment, minutes after their view."""
    t = picked["t"] + rng.exponential(2 * _MINUTE, len(picked["t"])).astype(np.int64) + 2_000
    post, user = picked["post"][t < end_ms], picked["user"][t < end_ms]
    t = t[t < end_ms]
    order = lex_order(t, post)
    post, user, t = post[order], user[order], t[order]
    # A reply answers an earlier comment of the same post (threads form under busy posts).
    first = np.searchsorted(post, post, side="left")
    rank = np.arange(len(post)) - first
    parent = first + (rng.random(len(post)) * rank).astype(np.int64)
    is_reply = (rank > 0) & (rng.random(len(post)) < 0.45)
    is_reply &= t[np.where(is_reply, parent, 0)] < t
    return {"post": post, "user": user, "t": t, "parent": np.where(is_reply, parent, -1)}


def _reactions(rng: np.random.Generator, picked: Table, q: np.ndarray, end_ms: int) -> Table:
    """Reactions by the viewers ``picked`` to react, seconds after their view."""
    t = picked["t"] + rng.exponential(20_000, len(picked["t"])).astype(np.int64) + 500
    post, user = picked["post"], picked["user"]
    order = stable_order(t)
    post, user, t = post[order], user[order], t[order]
    first = unique_pairs(post, user)  # one reaction per (post, user) ...
    post, user, t = post[first], user[first], t[first]
    keep = t < end_ms
    post, user, t = post[keep], user[keep], t[keep]
    mood = np.searchsorted(_MOODS, rng.random(len(q)), side="right").clip(0, 3)
    cdf = _REACTION_CDF[mood[post]]
    kind = (rng.random(len(post))[:, None] > cdf[:, :-1]).sum(axis=1).astype(np.int8)
    # ... and a few change their mind later: a new row that replaces the earlier one.
    again = np.flatnonzero(rng.random(len(post)) < 0.03)
    t2 = t[again] + rng.exponential(30 * _MINUTE, len(again)).astype(np.int64) + 1_000
    again, t2 = again[t2 < end_ms], t2[t2 < end_ms]
    k2 = ((kind[again] + rng.integers(1, 6, len(again))) % 6).astype(np.int8)
    return {
        "post": np.concatenate([post, post[again]]),
        "user": np.concatenate([user, user[again]]),
        "t": np.concatenate([t, t2]),
        "kind": np.concatenate([kind, k2]),
    }


def content_hour(
    rng: np.random.Generator,
    people: People,
    groups: Groups,
    rate_per_user_day: float,
    t0: int,
    t1: int,
    end_ms: int,
) -> dict[str, Table]:
    """The hour's posts and everything they set off; references are indices into this hour's
    posts (``post``) and comments (``parent``), users are indices (user_id − 1)."""
    t = times_in(rng, people.n * rate_per_user_day / DAY_MS, t0, t1)
    n = len(t)
    author = weighted(rng, people.author_cum, n)
    kind = np.searchsorted([0.72, 0.9], rng.random(n), side="right").astype(np.int8)
    community = community_at(groups, rng, author, t, 0.2)
    topic = np.where(rng.random(n) < 0.6, people.interest[author], rng.integers(0, 20, n)).astype(
        np.int64
    )
    topic = np.where(community >= 0, groups.communities["topic"][np.maximum(community, 0)], topic)
    appeal = rng.lognormal(0.0, 1.0, n) * np.array([1.0, 0.6, 1.6])[kind]
    posts = {
        "created_ms": t,
        "_author": author,
        "_kind": kind,
        "_community": community,
        "_topic": np.where(rng.random(n) < 0.85, topic, -1),
        "_appeal": appeal,
    }
    spread = _cascade(rng, people, posts, end_ms)
    views, shares = spread["views"], spread["shares"]
    shares["quote"] = (rng.random(len(shares["post"])) < 0.3).astype(np.int8)
    return {
        "posts": posts,
        "views": views,
        "shares": shares,
        "comments": _comments(rng, spread["commenters"], end_ms),
        "reactions": _reactions(rng, spread["reactors"], appeal, end_ms),
    }
