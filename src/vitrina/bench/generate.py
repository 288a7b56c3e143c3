"""``vitrina bench generate``: the simulator's vectorised click generator vs Faker per record.

Both sides produce the same number of click events as JSON Lines bytes in memory (no disk),
in the same process, one core. The vectorised side is the simulator's own code path
(sessions -> funnel -> numpy columns -> the compiled JSON Lines writer), not a simplified copy;
building the world it draws from (the ``classic`` history) is timed with it.
"""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np

from vitrina.simulate.base import HOUR_MS
from vitrina.simulate.clickstream.clicks_jsonl import clicks_jsonl
from vitrina.simulate.clickstream.frames import clicks_frame
from vitrina.simulate.output import ndjson
from vitrina.simulate.presets import PRESETS
from vitrina.simulate.rng import stream
from vitrina.simulate.shop.activity import LiveState, session_clicks
from vitrina.simulate.shop.world import build_history

__all__ = ["faker_clicks", "require_faker", "run_generate_bench", "vectorised_clicks"]

_START_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z, fixed so runs are comparable


def vectorised_clicks(n_events: int, seed: int = 7) -> list[bytes]:
    """``n_events`` click events from the simulator's session model, as JSON Lines payloads,
    one per hour slice of event time (what the simulator writes to its event log)."""
    world = build_history(PRESETS["classic"], seed, _START_MS, _START_MS + 86_400_000)
    state = LiveState.from_world(world)
    rng = stream(seed, "bench", "sessions")
    # ~9.1 events per session on average; draw 3% more sessions so one pass nearly always
    # suffices, and top up with a small extra draw in the rare case it does not.
    n_sessions = max(1, int(n_events / 9.1 * 1.03) + 1)
    starts = np.sort(_START_MS + rng.integers(0, 86_400_000, n_sessions))
    users = state.user_ids[rng.integers(0, len(state.user_ids), n_sessions)]
    events, _ = session_clicks(rng, starts, users, world.popularity_cdf, state)
    while len(events["ts"]) < n_events:
        k = max(1, (n_events - len(events["ts"])) // 4)
        more, _ = session_clicks(rng, starts[:k], users[:k], world.popularity_cdf, state)
        events = {key: np.concatenate([events[key], more[key]]) for key in events}
    events = {k: v[:n_events] for k, v in events.items()}
    events["product_id"] = world.products["product_id"][events.pop("product_idx")]
    # One payload per hour slice, as the simulator writes its event log.
    bounds = np.searchsorted(events["ts"], np.arange(_START_MS, events["ts"][-1] + 1, HOUR_MS))
    payloads = []
    for lo, hi in zip(bounds, [*bounds[1:], len(events["ts"])], strict=True):
        rows = {k: v[lo:hi] for k, v in events.items()}
        payload = clicks_jsonl(rows)  # what the simulator writes for a slice without violations
        payloads.append(ndjson(clicks_frame(rows)) if payload is None else payload)
    return payloads


def require_faker() -> type[Any]:
    """The Faker class, or a one-line usage error naming the ``bench`` extra."""
    from vitrina.bench.extras import require

    faker_class: type[Any] = require("faker", "bench", "bench generate's baseline").Faker
    return faker_class


def faker_clicks(n_events: int, seed: int = 7) -> bytes:
    """The usual way: one Faker call per field, one ``json.dumps`` per record."""
    Faker = require_faker()

    fake = Faker()
    Faker.seed(seed)
    kinds = ("view", "click", "add_to_cart", "purchase")
    devices = ("desktop", "mobile", "tablet")
    out = []
    for _ in range(n_events):
        out.append(
            json.dumps(
                {
                    "event_id": fake.uuid4().replace("-", ""),
                    "user_id": fake.random_int(1, 500),
                    "session_id": fake.hexify("^^^^^^^^^^^^^^^^"),
                    "product_id": fake.random_int(1, 800),
                    "event_type": fake.random_element(kinds),
                    "ts": fake.date_time_between("-1d", "now").isoformat(timespec="milliseconds")
                    + "Z",
                    "device": fake.random_element(devices),
                }
            )
        )
    return ("\n".join(out) + "\n").encode()


def run_generate_bench(events: int = 200_000, repeat: int = 3) -> dict[str, Any]:
    """Best of ``repeat`` for the vectorised generator; one pass for Faker (it is slow)."""
    require_faker()  # fail before the timed runs, not after them
    vectorised_clicks(1_000)  # warm up imports and caches
    best = float("inf")
    size = 0
    for _ in range(repeat):
        t = time.perf_counter()
        payloads = vectorised_clicks(events)
        best = min(best, time.perf_counter() - t)
        size = sum(len(p) for p in payloads)
    lines = sum(p.count(b"\n") for p in payloads)
    t = time.perf_counter()
    faker_payload = faker_clicks(events)
    faker_s = time.perf_counter() - t
    eps = lines / best
    feps = faker_payload.count(b"\n") / faker_s
    return {
        "bench": "generate",
        "events": lines,
        "bytes": size,
        "seconds": round(best, 4),
        "events_per_s": round(eps),
        "faker_events": faker_payload.count(b"\n"),
        "faker_seconds": round(faker_s, 3),
        "faker_events_per_s": round(feps),
        "ratio": round(eps / feps, 1),
    }
