"""What the graph role takes in and gives back: the input tables, options and result tables."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

__all__ = [
    "DAMPING",
    "DEFAULT_EXACT_LIMIT",
    "DEFAULT_SAMPLE_SOURCES",
    "DEPTH_SCHEMA",
    "PAGERANK_TOLERANCE",
    "SUMMARY_SCHEMA",
    "USER_METRICS_SCHEMA",
    "GraphData",
    "GraphMetrics",
    "MetricOptions",
]

# Pinned in the social domain's definitions (docs/graph.md).
DAMPING = 0.85
PAGERANK_TOLERANCE = 1e-9
DEFAULT_EXACT_LIMIT = 50_000
DEFAULT_SAMPLE_SOURCES = 1_000

USER_METRICS_SCHEMA = pa.schema(
    [
        ("user_id", pa.int64()),
        ("pagerank", pa.float64()),
        ("reach_1", pa.int64()),
        ("reach_2", pa.int64()),
        ("reach_3", pa.int64()),
        # The smallest user_id of the user's detected community (Leiden), so labels are stable.
        ("graph_community", pa.int64()),
    ]
)
DEPTH_SCHEMA = pa.schema([("depth", pa.int64()), ("pairs", pa.int64())])
SUMMARY_SCHEMA = pa.schema(
    [
        ("users", pa.int64()),
        ("friendships", pa.int64()),
        ("pagerank_arcs", pa.int64()),
        ("reachable_pairs", pa.int64()),
        ("mean_path_length", pa.float64()),
        ("max_depth", pa.int64()),
        ("sampled_sources", pa.int64()),  # NULL when the depth figures are exact
        ("graph_communities", pa.int64()),
    ]
)


def _empty(*names: str) -> pa.Table:
    return pa.table({n: pa.array([], pa.int64()) for n in names})


@dataclass(frozen=True)
class GraphData:
    """The social tables the graph is built from (Arrow, SOCIAL.md's column names).

    Only ``users`` is required; ``username``, ``name``, ``kind``, ``created_at``,
    ``joined_at`` and ``left_at`` columns are kept as properties where a backend stores them.
    Friendships may come in either order per pair and duplicates collapse (a simple graph).
    """

    users: pa.Table
    friendships: pa.Table = field(default_factory=lambda: _empty("user_id", "friend_id"))
    follows: pa.Table = field(default_factory=lambda: _empty("follower_id", "followee_id"))
    communities: pa.Table = field(default_factory=lambda: _empty("community_id"))
    memberships: pa.Table = field(default_factory=lambda: _empty("community_id", "user_id"))
    posts: pa.Table = field(default_factory=lambda: _empty("post_id", "user_id"))


@dataclass(frozen=True)
class MetricOptions:
    """How the depth figures are computed: exact up to ``exact_limit`` users, else sampled.

    Above the limit, ``sample_sources`` source users are drawn with ``seed`` (the same seed
    gives the same sources, so the same numbers on every backend). ``communities`` turns the
    Leiden column on or off (off: every user is its own community).
    """

    exact_limit: int = DEFAULT_EXACT_LIMIT
    sample_sources: int = DEFAULT_SAMPLE_SOURCES
    seed: int = 0
    communities: bool = True


@dataclass(frozen=True)
class GraphMetrics:
    """The results: one row per user, one per depth present, and one summary row."""

    users: pa.Table  # USER_METRICS_SCHEMA, ordered by user_id
    depth: pa.Table  # DEPTH_SCHEMA, ordered by depth
    summary: pa.Table  # SUMMARY_SCHEMA, one row
