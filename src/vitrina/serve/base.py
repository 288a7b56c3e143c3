"""The serving-store interface shared by the embedded (file://) and Redis backends."""

from __future__ import annotations

import abc
import logging

import pyarrow as pa

from vitrina.closing import Closing
from vitrina.serve.model import (
    PublishOutcome,
    Recommendation,
    ServingSet,
    TopProduct,
    content_hash,
    new_version,
    normalise_recs,
    normalise_top,
)

__all__ = ["KEEP_VERSIONS", "ServingStore"]

logger = logging.getLogger(__name__)

# The current version and the one before it stay readable, so a reader that picked the
# previous pointer a moment before a switch still finds its whole set.
KEEP_VERSIONS = 2


class ServingStore(abc.ABC, Closing):
    """Versioned serving sets: written whole under a new version, then switched atomically."""

    # -- what a backend provides ------------------------------------------------------------
    @abc.abstractmethod
    def current_version(self) -> str | None:
        """The version readers get now, or None before the first publish."""

    @abc.abstractmethod
    def current_hash(self) -> str | None:
        """The content hash of the current version."""

    @abc.abstractmethod
    def _write_version(self, version: str, digest: str, top: pa.Table, recs: pa.Table) -> None:
        """Write every piece of ``version``; nothing is visible to readers yet."""

    @abc.abstractmethod
    def _switch(self, version: str) -> None:
        """Point readers at ``version`` in one atomic step."""

    @abc.abstractmethod
    def versions(self) -> list[str]:
        """Complete versions present in the store, oldest first."""

    @abc.abstractmethod
    def _drop_version(self, version: str) -> None:
        """Delete every piece of ``version`` (never the current one)."""

    @abc.abstractmethod
    def top_products(self, n: int = 10) -> list[TopProduct]:
        """The first ``n`` top products of the current set (empty before any publish)."""

    @abc.abstractmethod
    def recommendations(self, user_id: int) -> list[Recommendation]:
        """The current recommendations for ``user_id`` (empty when it has none)."""

    @abc.abstractmethod
    def snapshot(self) -> ServingSet | None:
        """The whole current set, read consistently from one version."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections and caches."""

    # -- shared logic -----------------------------------------------------------------------
    def publish(
        self, top: pa.Table, recs: pa.Table, *, now_ms: int | None = None
    ) -> PublishOutcome:
        """Publish a new set; an empty set keeps the previous one, an equal set changes nothing."""
        top_n = normalise_top(top)
        recs_n = normalise_recs(recs)
        users = len(set(recs_n.column("user_id").to_pylist())) if recs_n.num_rows else 0
        current = self.current_version()
        if top_n.num_rows == 0:
            logger.warning("serving: empty top products, keeping version %s", current)
            return PublishOutcome("kept", current, 0, users, recs_n.num_rows)
        digest = content_hash(top_n, recs_n)
        if current is not None and self.current_hash() == digest:
            logger.info("serving: content unchanged, version %s stays", current)
            return PublishOutcome("unchanged", current, top_n.num_rows, users, recs_n.num_rows)
        version = new_version(digest, now_ms)
        if current is not None and version <= current:
            # Clock went backwards or two publishes in one ms: keep versions ordered.
            version = current.split("-")[0] + "x-" + digest[:10]
        self._write_version(version, digest, top_n, recs_n)
        self._switch(version)
        for old in self.versions()[:-KEEP_VERSIONS]:
            if old != version:
                self._drop_version(old)
        logger.info("serving: published %s (%d top, %d users)", version, top_n.num_rows, users)
        return PublishOutcome("published", version, top_n.num_rows, users, recs_n.num_rows)
