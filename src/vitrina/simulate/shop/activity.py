"""Live activity after --start, one simulated hour at a time: registrations and sessions.

A session is a run of product views by one user on one device; a view may lead to a click,
a click to an add-to-cart, and the cart to a purchase at checkout. The purchases of a session
become one order of that (existing) user, for existing products, at the products' prices.
Traffic follows a daily cycle (peak in the evening, UTC) and a weekly one (busier weekends).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vitrina.simulate.base import Table
from vitrina.simulate.kernels import hex_digits
from vitrina.simulate.presets import Preset
from vitrina.simulate.rng import stream
from vitrina.simulate.shop.world import (
    LOYALTY,
    World,
    _person_columns,
    draw,
    make_lines,
    order_timeline,
    order_totals,
)

__all__ = ["LiveState", "live_hour", "session_clicks", "traffic_factor"]

# Event types and devices are int8 codes: positions in the clickstream's EVENT_TYPES, DEVICES.
_DEVICE_CDF = np.array([0.45, 0.92, 1.0])
P_CLICK, P_CART, P_BUY, P_SAME_CATEGORY = 0.3, 0.15, 0.35, 0.6


@dataclass
class LiveState:
    """Counters and lookups carried from one hour to the next."""

    user_ids: np.ndarray
    user_reg_ms: np.ndarray
    next_order_id: int
    next_detail_id: int
    cat_products: np.ndarray  # product indices sorted by category
    cat_start: np.ndarray  # by category id: first position in cat_products
    cat_count: np.ndarray
    product_cat: np.ndarray  # category id of each product index

    @classmethod
    def from_world(cls, w: World) -> LiveState:
        cat = w.products["category_id"]
        order = np.argsort(cat, kind="stable")
        n_cat = int(w.categories["category_id"].max()) + 1
        count = np.bincount(cat, minlength=n_cat)
        start = np.concatenate([[0], np.cumsum(count)[:-1]])
        return cls(
            user_ids=w.users["user_id"].copy(),
            user_reg_ms=w.users["registration_ms"].copy(),
            next_order_id=int(w.orders["order_id"][-1]) + 1 if len(w.orders["order_id"]) else 1,
            next_detail_id=int(w.order_details["order_detail_id"][-1]) + 1
            if len(w.order_details["order_detail_id"])
            else 1,
            cat_products=order,
            cat_start=start,
            cat_count=count,
            product_cat=cat,
        )


def traffic_factor(t_ms: np.ndarray) -> np.ndarray:
    """Relative traffic at each instant: evening peak, night trough, weekends 20% busier."""
    hours = (t_ms % 86_400_000) / 3_600_000
    daily = 1.0 + 0.6 * np.cos(2 * np.pi * (hours - 20.0) / 24.0)
    weekday = ((t_ms // 86_400_000) + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
    return daily * np.where(weekday >= 5, 1.2, 1.0)


def _hex_ids(rng: np.random.Generator, n: int, nbytes: int) -> np.ndarray:
    """``n`` random lowercase hex strings of ``2 * nbytes`` characters, as a bytes array."""
    return hex_digits(rng.integers(0, 256, (n, nbytes), dtype=np.uint8))


def session_clicks(
    rng: np.random.Generator, starts: np.ndarray, users: np.ndarray, cdf: np.ndarray, st: LiveState
) -> tuple[Table, np.ndarray]:
    """Events of sessions starting at ``starts``; returns the events and each event's session index."""
    n_s = len(starts)
    if n_s == 0:
        empty = {
            k: np.zeros(0, dtype=t)
            for k, t in (
                ("user_id", np.int64),
                ("session_id", "S16"),
                ("product_idx", np.int64),
                ("event_type", np.int8),
                ("ts", np.int64),
                ("device", np.int8),
                ("event_id", "S32"),
            )
        }
        return empty, np.zeros(0, dtype=np.int64)
    n_views = np.minimum(rng.geometric(0.15, n_s), 50)
    sess = np.repeat(np.arange(n_s), n_views)
    m = len(sess)
    # View times: cumulative gaps from the session start.
    gaps = rng.exponential(40_000.0, m).astype(np.int64) + 1_000
    csum = np.cumsum(gaps)
    first = np.concatenate([[0], np.cumsum(n_views)[:-1]])
    view_ts = starts[sess] + csum - (csum[first] - gaps[first])[sess]
    # Products: Zipf-popular, with most views staying in the session's first category.
    prod = draw(cdf, rng, m)
    cat = st.product_cat[prod[first]][sess]
    stay = rng.random(m) < P_SAME_CATEGORY
    pick = st.cat_start[cat] + (rng.random(m) * st.cat_count[cat]).astype(np.int64)
    prod = np.where(stay, st.cat_products[np.minimum(pick, len(st.cat_products) - 1)], prod)
    # Funnel.
    clicked = rng.random(m) < P_CLICK
    carted = clicked & (rng.random(m) < P_CART)
    bought = carted & (rng.random(m) < P_BUY)
    click_ts = view_ts + rng.exponential(8_000.0, m).astype(np.int64) + 200
    cart_ts = click_ts + rng.exponential(20_000.0, m).astype(np.int64) + 500
    last = np.maximum.reduceat(np.where(carted, cart_ts, view_ts), first)
    checkout = last + rng.exponential(60_000.0, n_s).astype(np.int64) + 5_000
    parts = [
        (np.arange(m), view_ts, 0),
        (np.flatnonzero(clicked), click_ts[clicked], 1),
        (np.flatnonzero(carted), cart_ts[carted], 2),
        (np.flatnonzero(bought), checkout[sess[bought]], 3),
    ]
    idx = np.concatenate([p[0] for p in parts])
    ts = np.concatenate([p[1] for p in parts])
    etype = np.concatenate([np.full(len(p[0]), p[2], dtype=np.int8) for p in parts])
    session_ids = _hex_ids(rng, n_s, 8)
    device = np.minimum(draw(_DEVICE_CDF, rng, n_s), 2)
    order = np.argsort(ts, kind="stable")  # ties keep (type, view) order: deterministic
    view = idx[order]  # each event's view, in time order
    event_sess = sess[view]
    events = {
        "user_id": users[event_sess],
        "session_id": session_ids[event_sess],
        "product_idx": prod[view],
        "event_type": etype[order],
        "ts": ts[order],
        "device": device[event_sess].astype(np.int8),
        "event_id": _hex_ids(rng, len(order), 16),
    }
    return events, event_sess


def live_hour(
    w: World, st: LiveState, hour: int, t0: int, t1: int, end_ms: int
) -> dict[str, Table]:
    """Activity of sessions and registrations starting in ``[t0, t1)``, cut at ``end_ms``."""
    p: Preset = w.preset
    mid = np.array([(t0 + t1) // 2])
    factor = float(traffic_factor(mid)[0]) * (t1 - t0) / 86_400_000

    # Registrations: new users, also a registration event each.
    rng = stream(w.seed, "live", hour, "registrations")
    n_reg = int(rng.poisson(p.registrations_per_day * factor))
    reg_ms = np.sort(t0 + (rng.random(n_reg) * (t1 - t0)).astype(np.int64))
    reg_ms = reg_ms[reg_ms < end_ms]
    first_id = int(st.user_ids[-1]) + 1 if len(st.user_ids) else 1
    new_users = _person_columns(
        rng, np.arange(first_id, first_id + len(reg_ms), dtype=np.int64), reg_ms
    )
    new_users["loyalty_status"] = np.where(rng.random(len(reg_ms)) < 0.97, LOYALTY[0], LOYALTY[1])
    new_users["event_id"] = _hex_ids(rng, len(reg_ms), 16)
    new_users["ts"] = reg_ms
    st.user_ids = np.concatenate([st.user_ids, new_users["user_id"]])
    st.user_reg_ms = np.concatenate([st.user_reg_ms, reg_ms])

    # Sessions of users registered by the session start; older users are more active.
    rng = stream(w.seed, "live", hour, "sessions")
    n_s = int(rng.poisson(p.sessions_per_day * factor))
    starts = np.sort(t0 + (rng.random(n_s) * (t1 - t0)).astype(np.int64))
    starts = starts[starts < end_ms]
    n_known = np.maximum(np.searchsorted(st.user_reg_ms, starts, side="right"), 1)
    who = (n_known * rng.random(len(starts)) ** 1.5).astype(np.int64)
    events, sess = session_clicks(rng, starts, st.user_ids[who], w.popularity_cdf, st)
    keep = events["ts"] < end_ms
    events = {k: v[keep] for k, v in events.items()}
    sess = sess[keep]
    events["product_id"] = w.products["product_id"][events["product_idx"]]

    # Purchases -> one order per session, at checkout, lines at the product's price.
    buy = np.flatnonzero(events["event_type"] == 3)
    buy_sess, first = np.unique(sess[buy], return_index=True)
    order_ms = events["ts"][buy][first]
    by_time = np.argsort(order_ms, kind="stable")
    order_ids = np.empty(len(buy_sess), dtype=np.int64)
    order_ids[by_time] = np.arange(st.next_order_id, st.next_order_id + len(buy_sess))
    rng = stream(w.seed, "live", hour, "orders")
    line_order = order_ids[np.searchsorted(buy_sess, sess[buy])]
    lines = make_lines(
        rng,
        line_order,
        w.products,
        w.popularity_cdf,
        st.next_detail_id,
        product_idx=events["product_idx"][buy],
    )
    orders = {
        "order_id": order_ids[by_time],
        "user_id": events["user_id"][buy][first][by_time],
        "order_ms": order_ms[by_time],
    }
    orders.update(order_timeline(orders["order_ms"], rng, end_ms))
    orders["total_cents"] = order_totals(orders["order_id"], lines)
    st.next_order_id += len(buy_sess)
    st.next_detail_id += len(lines["order_detail_id"])
    del events["product_idx"]
    return {"clicks": events, "users": new_users, "orders": orders, "order_details": lines}
