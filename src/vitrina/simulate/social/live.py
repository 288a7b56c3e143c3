"""The social network from --start on: one live hour at a time, then its tables as of the end.

Each hour draws from its own random streams, and ids are handed out in hour order, so the
output depends only on the seed, the preset, the start and the duration.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from vitrina.simulate.base import SimulationParams, Table
from vitrina.simulate.presets import SOCIAL_PRESETS
from vitrina.simulate.rng import stream
from vitrina.simulate.social.content import content_hour, lognormal, times_in
from vitrina.simulate.social.frames import event_ids
from vitrina.simulate.social.groups import build_groups
from vitrina.simulate.social.media import album_index, build_albums, media_for
from vitrina.simulate.social.money import ad_hour, build_money
from vitrina.simulate.social.people import build_people, stable_order, unique_pairs, weighted
from vitrina.simulate.social.snapshot_faults import snapshot_faults
from vitrina.simulate.social.tables import social_tables, to_arrow
from vitrina.simulate.social.world import World

__all__ = ["SocialRun"]

_CONTENT = ("posts", "comments", "reactions", "shares", "media", "attachments")
_POST_MEDIA = np.array([0.35, 0.9, 1.0])  # share of posts, stories, reels with a media item
_POST_VIDEO = np.array([0.15, 0.3, 1.0])


class SocialRun:
    """The world before ``--start`` (people, ties, communities, money), then live hours."""

    def __init__(self, params: SimulationParams) -> None:
        self.params = params
        self.preset = SOCIAL_PRESETS[params.scale]
        self.end_ms = params.start_ms + params.duration_ms
        seed, start = params.seed, params.start_ms
        self.people = build_people(self.preset, seed, start)
        self.groups = build_groups(self.preset, self.people, seed, start, self.end_ms)
        self.money = build_money(self.preset, self.people, seed, start, self.end_ms)
        self.albums = build_albums(stream(seed, "social", "albums"), self.people, start)
        self.album_index = album_index(self.albums, self.people.n)
        self.next = dict.fromkeys(
            ("post", "comment", "reaction", "share", "view", "media", "status", "imp", "click"), 1
        )
        self.parts: dict[str, list[Table]] = {name: [] for name in _CONTENT}

    def _ids(self, name: str, n: int) -> np.ndarray:
        first = self.next[name]
        self.next[name] = first + n
        return np.arange(first, first + n, dtype=np.int64)

    def hour(self, index: int, t0_ms: int, t1_ms: int) -> dict[str, Table]:
        seed, end = self.params.seed, self.end_ms
        c = content_hour(
            stream(seed, "social", "live", index, "content"),
            self.people,
            self.groups,
            self.preset.posts_per_user_day,
            t0_ms,
            t1_ms,
            end,
        )
        views = self._content(index, c)
        status = self._status(stream(seed, "social", "live", index, "status"), t0_ms, t1_ms)
        imps, clicks = ad_hour(
            stream(seed, "social", "live", index, "ads"),
            self.preset,
            self.people,
            self.money["ads"],
            t0_ms,
            t1_ms,
        )
        clicks = {k: v[clicks["t"] < end] for k, v in clicks.items()}
        out = {"social_views": views, "social_user_status": status}
        for topic, rows, id_name, counter in (
            ("social_ad_impressions", imps, "impression_id", "imp"),
            ("social_ad_clicks", clicks, "click_id", "click"),
        ):
            ids = self._ids(counter, len(rows["t"]))
            out[topic] = {
                id_name: ids,
                "ad_id": rows["ad"] + 1,
                "user_id": rows["user"] + 1,
                "ts": rows["t"],
                "event_id": event_ids(ids),
            }
        return out

    def _content(self, index: int, c: dict[str, Table]) -> Table:
        """Give the hour's content global ids, keep the snapshot rows, return the views."""
        posts = c["posts"]
        post_id = self._ids("post", len(posts["created_ms"]))
        self.parts["posts"].append({**posts, "post_id": post_id})
        com = c["comments"]
        comment_id = self._ids("comment", len(com["t"]))
        parent = np.where(com["parent"] >= 0, comment_id[np.maximum(com["parent"], 0)], -1)
        self.parts["comments"].append(
            {**com, "comment_id": comment_id, "post_id": post_id[com["post"]], "parent_id": parent}
        )
        for name in ("reactions", "shares"):  # ids in time order
            rows = c[name]
            order = stable_order(rows["t"])
            rows = {k: v[order] for k, v in rows.items()}
            rows[f"{name[:-1]}_id"] = self._ids(name[:-1], len(order))
            rows["post_id"] = post_id[rows["post"]]
            self.parts[name].append(rows)
        self._media(index, posts, post_id, com, comment_id)
        v = c["views"]
        order = stable_order(v["t"])
        view_id = self._ids("view", len(order))
        return {
            "view_id": view_id,
            "post_id": post_id[v["post"][order]],
            "user_id": v["user"][order] + 1,
            "ts": v["t"][order],
            "event_id": event_ids(view_id),
        }

    def _media(
        self, index: int, posts: Table, post_id: np.ndarray, com: Table, comment_id: np.ndarray
    ) -> None:
        rng = stream(self.params.seed, "social", "live", index, "media")
        kind = posts["_kind"]
        with_media = np.flatnonzero(rng.random(len(kind)) < _POST_MEDIA[kind])
        on_comment = np.flatnonzero(rng.random(len(com["t"])) < 0.02)
        owner = np.concatenate([posts["_author"][with_media], com["user"][on_comment]])
        t = np.concatenate([posts["created_ms"][with_media], com["t"][on_comment]])
        video = np.concatenate([_POST_VIDEO[kind[with_media]], np.full(len(on_comment), 0.1)])
        m = media_for(rng, owner, t, video, self.albums, self.album_index)
        m["media_id"] = self._ids("media", len(owner))
        m["post_id"] = np.concatenate([post_id[with_media], np.full(len(on_comment), -1)])
        m["comment_id"] = np.concatenate([np.full(len(with_media), -1), comment_id[on_comment]])
        self.parts["media"].append(m)

    def _status(self, rng: np.random.Generator, t0: int, t1: int) -> Table:
        """Sessions starting this hour: online, then offline minutes later (heavy-tailed)."""
        on = times_in(rng, self.people.n * self.preset.sessions_per_user_day / 86_400_000, t0, t1)
        user = weighted(rng, self.people.activity_cum, len(on))
        off = on + lognormal(rng, np.log(600_000), 1.0, len(on)).astype(np.int64) + 1_000
        users = np.concatenate([user, user])
        ts = np.concatenate([on, off])
        status = np.concatenate([np.zeros(len(on), np.int8), np.ones(len(on), np.int8)])
        keep = ts < self.end_ms
        users, ts, status = users[keep], ts[keep], status[keep]
        first = unique_pairs(users, ts - t0)  # one change per user and instant
        order = first[stable_order(ts[first])]
        seq = self._ids("status", len(order))
        return {
            "user_id": users[order] + 1,
            "status": status[order],
            "ts": ts[order],
            "event_id": event_ids(seq),
        }

    def snapshots(
        self, violation_rate: float
    ) -> tuple[dict[str, pa.Table], list[dict[str, object]]]:
        """The tables as of the end; called once, after the last hour (it hands over the
        live content it kept)."""
        world = World(
            self.params.seed,
            self.params.start_ms,
            self.end_ms,
            self.people,
            self.groups,
            self.money,
            self.albums,
            # Each hour's parts are let go as they are joined: the content is held once.
            {k: _concat(self.parts.pop(k)) for k in list(self.parts)},
        )
        cols = social_tables(world)
        faults = (
            snapshot_faults(self.params.seed, cols, violation_rate) if violation_rate > 0 else []
        )
        # Columns are let go as their table is built: text is not held twice.
        return {k: to_arrow(k, cols.pop(k)) for k in list(cols)}, faults


def _concat(parts: list[Table]) -> Table:
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]} if parts else {}
