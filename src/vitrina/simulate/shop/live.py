"""The shop's world from --start on: its live hours, then its tables as of the end."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from vitrina.contracts.registry import contract_for
from vitrina.simulate.base import DAY_MS, SimulationParams, Table, concat
from vitrina.simulate.presets import PRESETS
from vitrina.simulate.rng import stream
from vitrina.simulate.shop.activity import LiveState, live_hour
from vitrina.simulate.shop.churn import CHURN_TABLES, shop_changes
from vitrina.simulate.shop.faults import oltp_faults
from vitrina.simulate.shop.tables import emails, oltp_tables
from vitrina.simulate.shop.world import (
    World,
    build_history,
    points_for_orders,
    promotions,
    reviews_for,
)
from vitrina.source import key_tuples

__all__ = ["ShopRun"]


class ShopRun:
    """History up to ``--start``, then one live hour at a time (users, sessions, orders)."""

    def __init__(self, params: SimulationParams) -> None:
        self.params = params
        self.end_ms = params.start_ms + params.duration_ms
        self.world = build_history(PRESETS[params.scale], params.seed, params.start_ms, self.end_ms)
        self.state = LiveState.from_world(self.world)
        self.live: dict[str, list[Table]] = {"users": [], "orders": [], "order_details": []}
        # Keys of the source rows the live hours changed or deleted, by table: the snapshot
        # at the run's end leaves them as the live hours made them (see ``merge_tables``).
        self.live_keys: dict[str, set[tuple[Any, ...]]] = {}

    def hour(self, index: int, t0_ms: int, t1_ms: int) -> dict[str, Table]:
        out = live_hour(self.world, self.state, index, t0_ms, t1_ms, self.end_ms)
        for name, parts in self.live.items():
            parts.append(out[name])
        return {"clicks": out["clicks"], "registrations": out["users"]}

    def live_changes(self, source: Any, index: int, at_ms: int) -> int:
        """Live mode: a source already holding a shop moves on (see ``shop_changes``).

        Returns the rows changed (0 when the source holds no shop yet).
        """
        tables = {t: source.read_table(t) for t in CHURN_TABLES}
        if tables["users"].num_rows == 0 or tables["products"].num_rows == 0:
            return 0
        upserts, deletes = shop_changes(tables, self.params.seed, index, at_ms)
        source.apply_changes(upserts, deletes)
        for name, changed in (*upserts.items(), *deletes.items()):
            keys = list(contract_for(name).key_columns())
            self.live_keys.setdefault(name, set()).update(key_tuples(changed, keys))
        return sum(t.num_rows for t in (*upserts.values(), *deletes.values()))

    def snapshots(
        self, violation_rate: float
    ) -> tuple[dict[str, pa.Table], list[dict[str, object]]]:
        tables = _finish_tables(self.world, self.live, self.params)
        faults = oltp_faults(self.params.seed, tables, violation_rate) if violation_rate > 0 else []
        return oltp_tables(tables), faults


def _finish_tables(
    world: World, live: dict[str, list[Table]], params: SimulationParams
) -> dict[str, Table]:
    """History + live rows, with reviews and loyalty points earned during the live period."""
    users = world.users
    for t in live["users"]:
        users = concat({k: users[k] for k in t if k in users}, {k: t[k] for k in t if k in users})
    orders, lines = world.orders, world.order_details
    for o, d in zip(live["orders"], live["order_details"], strict=True):
        orders, lines = concat(orders, o), concat(lines, d)
    start, end = params.start_ms, params.start_ms + params.duration_ms
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
