"""The Redis serving store: a versioned key schema with one pointer switched atomically.

Keys (``ns`` defaults to ``vitrina``, set with ``redis://host:port/db?namespace=NAME``)::

    ns:v1:current                          the current version id
    ns:v1:versions                         set of complete versions
    ns:v1:meta:<version>                   JSON {"version", "hash", counts}
    ns:v1:top_products:<version>           JSON array of {rank, product_id, score, ...}
    ns:v1:recs:<version>:<user_id>         JSON array of {rank, product_id, score}

A new set is written under its version, then ``current`` is SET (one atomic command); old
versions go afterwards, keeping the previous one for readers that picked it a moment ago.
Point reads resolve the pointer and read the value in one Lua script, so they are atomic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import numpy as np
import orjson
import pyarrow as pa

from vitrina.backends import register
from vitrina.errors import BackendError, ServiceUnavailable
from vitrina.serve.base import ServingStore
from vitrina.serve.model import (
    KEY_VERSION,
    RECS_SCHEMA,
    TOP_SCHEMA,
    Recommendation,
    ServingSet,
    TopProduct,
    recs_from_rows,
    top_from_table,
)

__all__ = ["RedisServingStore"]

logger = logging.getLogger(__name__)

_BATCH = 2_000
_RETRIES = 5
T = TypeVar("T")

# Resolve the pointer and read one key of that version in a single atomic step.
_READ_CURRENT = """
local v = redis.call('GET', KEYS[1])
if not v then return {false, false} end
return {v, redis.call('GET', ARGV[1] .. v .. (ARGV[2] or ''))}
"""


@contextmanager
def _translate(what: str) -> Iterator[None]:
    import redis

    try:
        yield
    except redis.exceptions.ConnectionError as exc:
        raise ServiceUnavailable(f"serving: Redis unreachable during {what}: {exc}") from exc
    except redis.exceptions.RedisError as exc:
        raise BackendError(f"serving: Redis failed during {what}: {exc}") from exc


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


@register("serving", "redis", extra="redis")
class RedisServingStore(ServingStore):
    """Serving sets in Redis under versioned keys."""

    def __init__(self, url: str) -> None:
        import redis

        parts = urlsplit(url)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.namespace = query.pop("namespace", "vitrina")
        clean = urlunsplit(parts._replace(query=urlencode(query)))
        self.prefix = f"{self.namespace}:{KEY_VERSION}"
        with _translate("connect"):
            self._redis = redis.Redis.from_url(clean, socket_timeout=30)
            self._redis.ping()
            self._read_current: Callable[..., Any] = self._redis.register_script(_READ_CURRENT)

    # -- keys ------------------------------------------------------------------------------------
    def key(self, *parts: object) -> str:
        return ":".join([self.prefix, *(str(p) for p in parts)])

    # -- pointer and versions --------------------------------------------------------------------
    def current_version(self) -> str | None:
        with _translate("read"):
            value = self._redis.get(self.key("current"))
        return None if value is None else _text(value)

    def current_hash(self) -> str | None:
        with _translate("read"):
            _, meta = self._read_current(keys=[self.key("current")], args=[self.key("meta", "")])
        return None if meta is None else str(orjson.loads(meta)["hash"])

    def versions(self) -> list[str]:
        with _translate("read"):
            members = self._redis.smembers(self.key("versions"))
        return sorted(_text(m) for m in members)

    def _write_version(self, version: str, digest: str, top: pa.Table, recs: pa.Table) -> None:
        users = recs.column("user_id").to_numpy()
        bounds = np.flatnonzero(np.diff(users)) + 1
        starts = np.concatenate([[0], bounds]) if len(users) else np.array([], dtype=np.int64)
        ends = np.concatenate([bounds, [len(users)]]) if len(users) else starts
        rows = recs.select(["rank", "product_id", "score"]).to_pylist()
        with _translate("write"):
            pipe = self._redis.pipeline(transaction=False)
            pipe.set(self.key("top_products", version), orjson.dumps(top.to_pylist()))
            for n, (start, end) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
                user_key = self.key("recs", version, int(users[start]))
                pipe.set(user_key, orjson.dumps(rows[start:end]))
                if n % _BATCH == _BATCH - 1:
                    pipe.execute()
            meta = {
                "version": version,
                "hash": digest,
                "top_count": top.num_rows,
                "recs_rows": recs.num_rows,
                "recs_users": len(starts),
            }
            # The meta key is written last: a version with meta is complete.
            pipe.set(self.key("meta", version), orjson.dumps(meta))
            pipe.sadd(self.key("versions"), version)
            pipe.execute()

    def _switch(self, version: str) -> None:
        with _translate("switch"):
            self._redis.set(self.key("current"), version)

    def _drop_version(self, version: str) -> None:
        with _translate("cleanup"):
            # Meta first: a reader that finds it gone knows its snapshot may be partial.
            self._redis.srem(self.key("versions"), version)
            self._redis.delete(self.key("meta", version), self.key("top_products", version))
            batch: list[bytes] = []
            for key in self._redis.scan_iter(match=self.key("recs", version, "*"), count=1000):
                batch.append(key)
                if len(batch) >= _BATCH:
                    self._redis.unlink(*batch)
                    batch = []
            if batch:
                self._redis.unlink(*batch)

    # -- reads -----------------------------------------------------------------------------------
    def top_products(self, n: int = 10) -> list[TopProduct]:
        with _translate("read"):
            _, raw = self._read_current(
                keys=[self.key("current")], args=[self.key("top_products", "")]
            )
        if raw is None:
            return []
        return top_from_table(pa.Table.from_pylist(orjson.loads(raw), schema=TOP_SCHEMA), n)

    def recommendations(self, user_id: int) -> list[Recommendation]:
        with _translate("read"):
            _, raw = self._read_current(
                keys=[self.key("current")], args=[self.key("recs", ""), f":{int(user_id)}"]
            )
        return [] if raw is None else recs_from_rows(orjson.loads(raw))

    def snapshot(self) -> ServingSet | None:
        for _ in range(_RETRIES):
            version = self.current_version()
            if version is None:
                return None
            got = self._read_version(version)
            if got is not None:
                return got
        raise BackendError(f"serving: no stable version in Redis after {_RETRIES} tries")

    def _read_version(self, version: str) -> ServingSet | None:
        prefix = self.key("recs", version, "")
        with _translate("read"):
            top_raw = self._redis.get(self.key("top_products", version))
            keys = sorted(self._redis.scan_iter(match=prefix + "*", count=1000))
            rows: list[dict[str, Any]] = []
            for i in range(0, len(keys), _BATCH):
                chunk = keys[i : i + _BATCH]
                for key, raw in zip(chunk, self._redis.mget(chunk), strict=True):
                    if raw is None:
                        return None
                    user_id = int(_text(key)[len(prefix) :])
                    rows.extend({"user_id": user_id, **r} for r in orjson.loads(raw))
            # Cleanup removes meta first: if it is still here, nothing was removed under us.
            complete = self._redis.exists(self.key("meta", version))
        if top_raw is None or not complete:
            return None
        top = pa.Table.from_pylist(orjson.loads(top_raw), schema=TOP_SCHEMA)
        recs = pa.Table.from_pylist(rows, schema=RECS_SCHEMA).sort_by(
            [("user_id", "ascending"), ("rank", "ascending")]
        )
        return ServingSet(version=version, top=top, recs=recs)

    def close(self) -> None:
        self._redis.close()
