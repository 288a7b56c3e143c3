"""``vitrina bench generate --domain social``: the social simulator vs Faker per record.

Both sides produce the same social events — views, user status changes, ad impressions and
ad clicks, as many of each — as JSON Lines bytes in memory (no disk), in the same process, on
one core. The simulator's side is its own code path (the world before the start, then live
hours of posts whose views cascade through followers and shares, sessions and ads -> numpy
columns -> the compiled JSON Lines writer), not a simplified copy; building the world is
timed with it. The Faker side makes each record the usual way: a Faker call per field and a
``json.dumps`` per record.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Iterator
from typing import Any

from vitrina.bench.generate import require_faker
from vitrina.errors import UsageError
from vitrina.simulate.base import DAY_MS, HOUR_MS, SimulationParams
from vitrina.simulate.output import ndjson
from vitrina.simulate.presets import SOCIAL_PRESETS
from vitrina.simulate.social import simulator

__all__ = [
    "faker_social",
    "run_social_generate_bench",
    "social_payloads",
    "vectorised_social",
]

_START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z, fixed so runs are comparable
_MAX_DAYS = 14  # the live period the simulator may run to reach the events asked for


def social_payloads(
    n_events: int, seed: int = 7, scale: str = "classic"
) -> Iterator[tuple[str, bytes, int]]:
    """Live hours of the social simulator until ``n_events`` events are made: (topic, JSON
    Lines payload, its events), one per topic and hour (what the simulator writes to its
    event log)."""
    if scale not in SOCIAL_PRESETS:
        raise UsageError(f"unknown scale {scale!r}: use {', '.join(SOCIAL_PRESETS)}")
    sim = simulator()
    params = SimulationParams(
        seed=seed, scale=scale, start_ms=_START_MS, duration_ms=_MAX_DAYS * DAY_MS, domain="social"
    )
    run = sim.start(params)
    made = 0
    for h in range(_MAX_DAYS * 24):
        if made >= n_events:
            return
        t0 = _START_MS + h * HOUR_MS
        for topic, rows in run.hour(h, t0, t0 + HOUR_MS).items():
            spec = sim.topics[topic]
            payload = spec.jsonl(rows) if spec.jsonl is not None else None
            n = len(rows["ts"])
            yield topic, ndjson(spec.frame(rows)) if payload is None else payload, n
            made += n
    if made < n_events:
        raise UsageError(
            f"scale {scale!r} makes fewer than {n_events:,} events in {_MAX_DAYS} days"
        )


def vectorised_social(n_events: int, seed: int = 7, scale: str = "classic") -> dict[str, int]:
    """Make the payloads of :func:`social_payloads` and count them (lines per topic, and
    ``bytes``); each payload is dropped once counted, as a writer would."""
    counts: dict[str, int] = {}
    for topic, payload, n in social_payloads(n_events, seed, scale):
        counts[topic] = counts.get(topic, 0) + n
        counts["bytes"] = counts.get("bytes", 0) + len(payload)
    return counts


def faker_social(counts: dict[str, int], seed: int = 7) -> dict[str, bytes]:
    """The usual way: per record, one Faker call per field and one ``json.dumps``."""
    Faker = require_faker()
    fake = Faker()
    Faker.seed(seed)
    users, posts, ads = 5_000, 150_000, 40

    def ts() -> str:
        at: str = fake.date_time_between("-1d", "now").isoformat(timespec="milliseconds")
        return at + "Z"

    def view(i: int) -> dict[str, Any]:
        return {
            "view_id": i,
            "post_id": fake.random_int(1, posts),
            "user_id": fake.random_int(1, users),
            "viewed_at": ts(),
        }

    def status(_: int) -> dict[str, Any]:
        return {
            "user_id": fake.random_int(1, users),
            "status": fake.random_element(("online", "offline")),
            "changed_at": ts(),
        }

    def ad_event(id_name: str) -> Any:
        def make(i: int) -> dict[str, Any]:
            return {
                id_name: i,
                "ad_id": fake.random_int(1, ads),
                "user_id": fake.random_int(1, users),
                "ts": ts(),
            }

        return make

    makers = {
        "social_views": view,
        "social_user_status": status,
        "social_ad_impressions": ad_event("impression_id"),
        "social_ad_clicks": ad_event("click_id"),
    }
    out = {}
    for topic, n in counts.items():
        make = makers[topic]
        out[topic] = "".join(json.dumps(make(i + 1)) + "\n" for i in range(n)).encode()
    return out


def _timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float, float]:
    """``fn``'s result, the CPU seconds this process spent in it, and the wall seconds; with
    the garbage collector off while it runs, as ``timeit`` does (for both sides alike)."""
    gc.collect()
    gc.disable()
    try:
        cpu, wall = time.process_time(), time.perf_counter()
        out = fn(*args, **kwargs)
        return out, time.process_time() - cpu, time.perf_counter() - wall
    finally:
        gc.enable()


def run_social_generate_bench(
    events: int = 4_000_000, repeat: int = 3, scale: str = "classic", faker_events: int = 200_000
) -> dict[str, Any]:
    """Best of ``repeat`` for the simulator; one pass for Faker (it is slow) on the same mix
    of records, ``faker_events`` of them (its rate does not depend on how many).

    Rates are per CPU second of this (single-threaded) process, so they measure one core's
    work even on a machine shared with other jobs; the wall-clock rates are given beside them.
    """
    require_faker()  # fail before the timed runs, not after them
    vectorised_social(1_000, scale="tiny")  # warm up imports and compiled kernels
    best_cpu = best_wall = float("inf")
    counts: dict[str, int] = {}
    for _ in range(repeat):
        counts, cpu_s, wall_s = _timed(vectorised_social, events, scale=scale)
        best_cpu, best_wall = min(best_cpu, cpu_s), min(best_wall, wall_s)
    size = counts.pop("bytes")
    made = sum(counts.values())
    share = min(faker_events, made) / made
    faker_counts = {t: round(n * share) for t, n in counts.items()}
    faker_payload, faker_cpu, faker_wall = _timed(faker_social, faker_counts)
    faker_made = sum(p.count(b"\n") for p in faker_payload.values())
    eps, feps = made / best_cpu, faker_made / faker_cpu
    return {
        "bench": "generate",
        "domain": "social",
        "scale": scale,
        "clock": "process cpu",
        "events": made,
        "events_by_topic": counts,
        "bytes": size,
        "seconds": round(best_cpu, 4),
        "wall_seconds": round(best_wall, 4),
        "wall_events_per_s": round(made / best_wall),
        "faker_events": faker_made,
        "faker_seconds": round(faker_cpu, 3),
        "faker_wall_events_per_s": round(faker_made / faker_wall),
        "wall_ratio": round(made / best_wall / (faker_made / faker_wall), 1),
        "events_per_s": round(eps),
        "faker_events_per_s": round(feps),
        "ratio": round(eps / feps, 1),
    }
