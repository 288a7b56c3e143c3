"""Run the simulator: history, then live hours on a virtual clock, written slice by slice.

Generation goes in fixed one-hour chunks of session starts, each from its own random stream,
so the output does not depend on the slice size, the speed or where a run is cut. Events of a
chunk may spill into later hours; an event is written once nothing generated later can
arrive before it (its arrival time is below the start of the next chunk).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import orjson

from vitrina.simulate import faults as F
from vitrina.simulate.activity import LiveState, live_hour
from vitrina.simulate.clicks_jsonl import clicks_jsonl
from vitrina.simulate.output import clicks_frame, emails, ndjson, oltp_tables, registrations_frame
from vitrina.simulate.presets import PRESETS
from vitrina.simulate.rng import stream
from vitrina.simulate.world import (
    DAY_MS,
    HOUR_MS,
    Table,
    World,
    build_history,
    concat,
    points_for_orders,
    promotions,
    reviews_for,
)

__all__ = ["DOMAINS", "SimulationParams", "SimulationReport", "simulate"]

log = logging.getLogger(__name__)
DOMAINS = ("shop", "clickstream", "all")
TOPICS = {"clicks": clicks_frame, "registrations": registrations_frame}


@dataclass(frozen=True)
class SimulationParams:
    seed: int
    scale: str
    start_ms: int
    duration_ms: int
    slice_ms: int = HOUR_MS
    speed: float = 0.0
    domain: str = "all"
    faults: F.FaultRates = field(default_factory=F.FaultRates)


@dataclass(frozen=True)
class SimulationReport:
    events: dict[str, int]
    entities: dict[str, int]
    files: int
    faults: dict[str, int]
    elapsed_s: float
    outputs: dict[str, str]

    def rows(self) -> list[tuple[str, str]]:
        out = [(f"events.{k}", f"{v:,}") for k, v in self.events.items()]
        out += [(f"source.{k}", f"{v:,}") for k, v in self.entities.items()]
        out += [(f"faults.{k}", f"{v:,}") for k, v in self.faults.items()]
        out += [("files written", f"{self.files:,}"), ("elapsed", f"{self.elapsed_s:.2f} s")]
        return out


class _SliceWriter:
    """Buffers one topic's events and writes every slice that can no longer grow."""

    def __init__(
        self,
        sink: Any,
        topic: str,
        slice_ms: int,
        seed: int,
        rates: F.FaultRates,
        manifest: list[dict[str, Any]],
    ) -> None:
        self.sink, self.topic, self.slice_ms, self.seed = sink, topic, slice_ms, seed
        self.rates, self.manifest = rates, manifest
        self.pending: Table = {}
        self.events = 0
        self.files = 0

    def add(self, hour: int, events: Table) -> None:
        planned = F.plan_event_faults(self.seed, self.topic, hour, events, self.rates)
        self.pending = planned if not self.pending else concat(self.pending, planned)

    def flush(self, horizon_ms: int | None) -> None:
        """Write slices that end at or before ``horizon_ms`` (all of them when None)."""
        if not self.pending or len(self.pending["ts"]) == 0:
            return
        p = self.pending
        order = np.lexsort((np.arange(len(p["ts"])), p["arrival_ms"]))
        p = {k: v[order] for k, v in p.items()}
        slice_idx = p["arrival_ms"] // self.slice_ms
        ready = (
            len(p["ts"])
            if horizon_ms is None
            else int(np.searchsorted(slice_idx, horizon_ms // self.slice_ms))
        )
        bounds = np.flatnonzero(np.diff(slice_idx[:ready])) + 1
        for lo, hi in zip(
            np.concatenate([[0], bounds]), np.concatenate([bounds, [ready]]), strict=True
        ):
            if hi > lo:
                self._write({k: v[lo:hi] for k, v in p.items()}, int(slice_idx[lo]) * self.slice_ms)
        self.pending = {k: v[ready:] for k, v in p.items()}

    def _write(self, rows: Table, slice_start: int) -> None:
        payload = None
        details = [""] * len(rows["ts"])
        if self.topic == "clicks" and not (rows["fault"] == F.VIOLATION).any():
            payload = clicks_jsonl(rows)  # the compiled writer: same bytes, no frame
        if payload is None:
            df = TOPICS[self.topic](rows)
            df, details = F.apply_violations(self.topic, df, rows["fault"], rows["variant"])
            payload = ndjson(df)
        payload = F.break_lines(payload, np.flatnonzero(rows["fault"] == F.MALFORMED))
        keys = rows["product_id"].astype("S20").tolist() if "product_id" in rows else None
        written = self.sink.write_slice(self.topic, slice_start, payload, keys)
        self.events += len(rows["ts"])
        self.files += 1
        for i in np.flatnonzero(rows["fault"]):
            kind = int(rows["fault"][i])
            self.manifest.append(
                {
                    "kind": F.FAULT_NAMES[kind],
                    "topic": self.topic,
                    "file": written.name,
                    "line": int(i) + 1,
                    "event_id": rows["event_id"][i].decode(),
                    "ts_ms": int(rows["ts"][i]),
                    "detail": details[i] if kind == F.VIOLATION else F.FAULT_NAMES[kind],
                }
            )


def simulate(
    params: SimulationParams,
    *,
    sink: Any,
    source: Any | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    write_fault_manifest: Callable[[bytes], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> SimulationReport:
    """Generate the world and its live activity; write events to ``sink`` and tables to ``source``.

    With ``params.speed > 0`` each slice is written when the virtual clock reaches its end
    (``clock`` and ``sleep`` are injectable for tests); otherwise as fast as possible.
    """
    t_begin = time.perf_counter()
    preset = PRESETS[params.scale]
    start, end = params.start_ms, params.start_ms + params.duration_ms
    world = build_history(preset, params.seed, start, end)
    state = LiveState.from_world(world)
    manifest: list[dict[str, Any]] = []
    topics = []
    if params.domain in ("clickstream", "all"):
        topics.append("clicks")
    if params.domain in ("shop", "all"):
        topics.append("registrations")
    writers = {
        t: _SliceWriter(sink, t, params.slice_ms, params.seed, params.faults, manifest)
        for t in topics
    }
    live: dict[str, list[Table]] = {"users": [], "orders": [], "order_details": []}
    n_hours = -(-params.duration_ms // HOUR_MS)
    wall0 = clock()
    for h in range(n_hours):
        t0 = start + h * HOUR_MS
        t1 = min(t0 + HOUR_MS, end)
        out = live_hour(world, state, h, t0, t1, end)
        for name in live:
            live[name].append(out[name])
        if "clicks" in writers:
            writers["clicks"].add(h, out["clicks"])
        if "registrations" in writers:
            writers["registrations"].add(h, out["users"])
        if params.speed > 0:
            # Live mode: everything arriving before t1 is generated, so release it slice by
            # slice as the virtual clock passes each slice's end — a steady rate.
            boundary = (t0 // params.slice_ms + 1) * params.slice_ms
            while boundary <= t1:
                sleep(max(0.0, wall0 + (boundary - start) / 1000 / params.speed - clock()))
                for w in writers.values():
                    w.flush(boundary)
                boundary += params.slice_ms
        for w in writers.values():
            w.flush(t1 if h < n_hours - 1 else None)
        if on_progress:
            on_progress(h + 1, n_hours)
    tables = _finish_tables(world, live, params, end)
    if params.faults.violation > 0 and params.domain in ("shop", "all"):
        manifest += F.oltp_faults(params.seed, tables, params.faults.violation)
    entities: dict[str, int] = {}
    if source is not None and params.domain in ("shop", "all"):
        arrow = oltp_tables(tables)
        source.replace_tables(arrow)
        entities = {k: v.num_rows for k, v in arrow.items()}
    if write_fault_manifest is not None:
        write_fault_manifest(
            b"".join(orjson.dumps(e, option=orjson.OPT_SORT_KEYS) + b"\n" for e in manifest)
        )
    counts: dict[str, int] = {}
    for e in manifest:
        counts[str(e["kind"])] = counts.get(str(e["kind"]), 0) + 1
    return SimulationReport(
        events={t: w.events for t, w in writers.items()},
        entities=entities,
        files=sum(w.files for w in writers.values()),
        faults=counts,
        elapsed_s=time.perf_counter() - t_begin,
        outputs={},
    )


def _finish_tables(
    world: World, live: dict[str, list[Table]], params: SimulationParams, end: int
) -> dict[str, Table]:
    """History + live rows, with reviews and loyalty points earned during the live period."""
    users = world.users
    for t in live["users"]:
        users = concat({k: users[k] for k in t if k in users}, {k: t[k] for k in t if k in users})
    orders, lines = world.orders, world.order_details
    for o, d in zip(live["orders"], live["order_details"], strict=True):
        orders, lines = concat(orders, o), concat(lines, d)
    start = params.start_ms
    rng = stream(params.seed, "live", "reviews")
    delivered_live = np.where(orders["delivery_ms"] >= start, orders["delivery_ms"], -1)
    new_reviews = reviews_for(
        rng,
        {**orders, "delivery_ms": delivered_live},
        lines,
        None,
        0.15,
        end,
        first_id=len(world.reviews["review_id"]) + 1,
    )
    reviews = concat(world.reviews, new_reviews) if len(new_reviews["review_id"]) else world.reviews
    rng = stream(params.seed, "live", "loyalty")
    live_orders = orders["order_id"] > (
        world.orders["order_id"][-1] if len(world.orders["order_id"]) else 0
    )
    n_promo = int(rng.poisson(world.preset.promotions_per_day * params.duration_ms / DAY_MS))
    promo_at = np.sort(start + (rng.random(n_promo) * params.duration_ms).astype(np.int64))
    earned = concat(
        points_for_orders(orders, live_orders),
        promotions(rng, users["user_id"], users["registration_ms"], promo_at),
    )
    order = np.argsort(earned["created_ms"], kind="stable")
    earned = {k: v[order] for k, v in earned.items()}
    first = len(world.loyalty_points["loyalty_id"]) + 1
    earned["loyalty_id"] = np.arange(first, first + len(order), dtype=np.int64)
    points = concat(world.loyalty_points, earned)
    users = dict(users)
    users["email"] = emails(users).to_numpy().astype(object)
    return {
        "users": users,
        "categories": world.categories,
        "products": world.products,
        "orders": orders,
        "order_details": lines,
        "reviews": reviews,
        "loyalty_points": points,
    }
