"""Media metadata: albums, the photos and videos attached to posts and comments, their thumbnails.

Photos and videos take the shapes phones and cameras give (square, portrait, landscape);
a video's size follows its duration at a few megabits per second, a photo's its pixels.
"""

from __future__ import annotations

import numpy as np

from vitrina.simulate.base import Table
from vitrina.simulate.social.people import People, csr, pairs_after

__all__ = ["album_index", "build_albums", "media_for", "thumbnails_for"]

_PHOTO = np.array([(1080, 1080), (1080, 1350), (1920, 1080), (4032, 3024), (3024, 4032)])
_VIDEO = np.array([(1920, 1080), (1080, 1920), (1280, 720), (720, 1280)])
_THUMBS = (150, 480)  # widths of the renditions kept for every item


def build_albums(rng: np.random.Generator, people: People, start_ms: int) -> Table:
    """Albums made before ``start_ms`` (a third of users have one or more)."""
    count = rng.poisson(0.4 * np.minimum(people.activity, 4.0))
    owner = np.repeat(np.arange(people.n), count)
    return {"user": owner, "created_ms": pairs_after(rng, people.created_ms[owner], start_ms)}


def album_index(albums: Table, n_users: int) -> tuple[np.ndarray, np.ndarray]:
    """Albums grouped by owner (CSR pointers over users, album indices)."""
    return csr(albums["user"], np.arange(len(albums["user"])), n_users)


def media_for(
    rng: np.random.Generator,
    owner: np.ndarray,
    t_ms: np.ndarray,
    video_share: np.ndarray,
    albums: Table,
    by_owner: tuple[np.ndarray, np.ndarray],
) -> Table:
    """One media item per row, uploaded by ``owner`` shortly before ``t_ms``; ``by_owner``
    is :func:`album_index` of ``albums``."""
    n = len(owner)
    video = rng.random(n) < video_share
    shape = np.where(
        video[:, None],
        _VIDEO[rng.integers(0, len(_VIDEO), n)],
        _PHOTO[rng.integers(0, len(_PHOTO), n)],
    )
    duration = np.where(
        video, np.maximum(rng.lognormal(np.log(25), 0.9, n), 1).astype(np.int64), -1
    )
    pixels = shape[:, 0] * shape[:, 1]
    size = np.where(
        video,
        duration * rng.integers(250_000, 750_000, n),  # 2 to 6 Mbit/s
        (pixels * rng.uniform(0.15, 0.45, n)).astype(np.int64),
    )
    created = t_ms - rng.integers(1_000, 300_000, n)
    # A third of the photos go into one of the owner's albums made before the upload.
    ptr, rows = by_owner
    have = np.diff(ptr)[owner]
    pick = ptr[owner] + (rng.random(n) * have).astype(np.int64)
    album = np.where(
        have > 0, rows[np.minimum(pick, max(len(rows) - 1, 0))] if len(rows) else -1, -1
    )
    in_album = (~video) & (album >= 0) & (rng.random(n) < 0.33)
    in_album &= albums["created_ms"][np.maximum(album, 0)] < created if len(rows) else False
    return {
        "user": owner,
        "video": video.astype(np.int8),
        "album": np.where(in_album, album, -1),
        "width": shape[:, 0].astype(np.int64),
        "height": shape[:, 1].astype(np.int64),
        "duration_s": duration,
        "size_bytes": size.astype(np.int64),
        "created_ms": created,
    }


def thumbnails_for(media: Table) -> Table:
    """Two renditions of every item, keeping its aspect ratio."""
    n = len(media["width"])
    width = np.tile(np.array(_THUMBS, dtype=np.int64), n)
    idx = np.repeat(np.arange(n), len(_THUMBS))
    height = np.maximum(width * media["height"][idx] // media["width"][idx], 1)
    return {"media": idx, "width": width, "height": height}
