"""Rule violations in the social snapshot tables: each breaks one of SOCIAL.md's cross-record rules.

The manifest names the table, the broken row's key (the primary key's value, or a mapping
of the key fields for a table keyed by several) and the rule it breaks.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from vitrina.simulate.base import DAY_MS
from vitrina.simulate.rng import stream

__all__ = ["snapshot_faults"]

Columns = dict[str, object]


def _key(table: str, cols: Columns, i: int) -> object:
    fields = {
        "social_friendships": ("user_id", "friend_id"),
        "social_follows": ("follower_id", "followee_id"),
        "social_community_members": ("community_id", "user_id", "joined_at"),
        "social_community_moderators": ("community_id", "user_id"),
    }.get(table)
    if fields is None:
        return int(next(iter(cols.values()))[i])  # type: ignore[index]
    return {f: int(cols[f][i]) for f in fields}  # type: ignore[index]


def snapshot_faults(seed: int, tables: dict[str, Columns], rate: float) -> list[dict[str, object]]:
    """Break about ``rate`` of the rows of each rule's table (at least one); mutates
    ``tables``; returns manifest entries."""
    rng = stream(seed, "faults", "social")
    entries: list[dict[str, object]] = []

    def pick(n: int, eligible: np.ndarray | None = None) -> np.ndarray:
        pool = np.arange(n) if eligible is None else np.flatnonzero(eligible)
        k = min(len(pool), max(1, round(rate * n))) if len(pool) else 0
        return np.sort(rng.choice(pool, size=k, replace=False)) if k else pool[:0]

    def breaking(
        table: str,
        eligible: Callable[[Columns], np.ndarray] | None,
        detail: str,
        change: Callable[[Columns, np.ndarray], None],
    ) -> None:
        cols = tables[table]
        n = len(next(iter(cols.values())))  # type: ignore[arg-type]
        idx = pick(n, eligible(cols) if eligible else None)
        change(cols, idx)
        entries.extend(
            {
                "kind": "violation",
                "table": table,
                "key": _key(table, cols, int(i)),
                "detail": detail,
            }
            for i in idx
        )

    def arr(cols: Columns, name: str) -> np.ndarray:
        return cols[name]  # type: ignore[return-value]

    def self_tie(a: str, b: str) -> Callable[[Columns, np.ndarray], None]:
        def change(cols: Columns, idx: np.ndarray) -> None:
            arr(cols, b)[idx] = arr(cols, a)[idx]

        return change

    breaking("social_friendships", None, "no self-friendship", self_tie("user_id", "friend_id"))
    breaking("social_follows", None, "no self-follow", self_tie("follower_id", "followee_id"))

    com = tables["social_comments"]

    def other_post_parent(cols: Columns, idx: np.ndarray) -> None:
        # The parent becomes the first comment of another post (ids follow (post, time) order).
        post = arr(cols, "post_id")
        first_of_post = np.unique(post, return_index=True)
        for i in idx:
            j = int(np.searchsorted(first_of_post[0], post[i]))
            other = first_of_post[1][(j + 1) % len(first_of_post[1])]
            arr(cols, "parent_comment_id")[i] = arr(cols, "comment_id")[other]

    if len(np.unique(arr(com, "post_id"))) > 1:
        breaking(
            "social_comments",
            lambda c: arr(c, "parent_comment_id") > 0,
            "a reply's parent is a comment of another post",
            other_post_parent,
        )

    posts_at = arr(tables["social_posts"], "created_at")
    first_post = int(arr(tables["social_posts"], "post_id")[0]) if len(posts_at) else 1

    def before_post(cols: Columns, idx: np.ndarray) -> None:
        arr(cols, "created_at")[idx] = posts_at[arr(cols, "post_id")[idx] - first_post] - 60_000

    breaking("social_reactions", None, "reaction before its post was created", before_post)

    def left_before(cols: Columns, idx: np.ndarray) -> None:
        arr(cols, "left_at")[idx] = arr(cols, "joined_at")[idx] - DAY_MS

    breaking(
        "social_community_members",
        lambda c: arr(c, "left_at") >= 0,
        "left_at before joined_at",
        left_before,
    )

    members = tables["social_community_members"]
    member_keys = set(
        zip(arr(members, "community_id").tolist(), arr(members, "user_id").tolist(), strict=True)
    )
    n_users = len(arr(tables["social_users"], "user_id"))

    def not_member(cols: Columns, idx: np.ndarray) -> None:
        for i in idx:
            c, u = int(arr(cols, "community_id")[i]), int(rng.integers(1, n_users + 1))
            while (c, u) in member_keys:
                u = u % n_users + 1
            arr(cols, "user_id")[i] = u

    breaking("social_community_moderators", None, "moderator is not a member", not_member)

    def negative(cols: Columns, idx: np.ndarray) -> None:
        arr(cols, "amount")[idx] = -arr(cols, "amount")[idx]

    breaking("social_donations", None, "amount is negative", negative)
    return entries
