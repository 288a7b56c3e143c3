"""The shop's history before --start: users, categories, products, orders, reviews, points.

Everything is drawn column-wise with numpy from seeded streams (see ``rng``). Money is kept in
integer cents so that an order's total is exactly the sum of its lines; times are epoch ms.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from vitrina.simulate.base import DAY_MS, HOUR_MS, Table, concat
from vitrina.simulate.kernels import inverse_cdf
from vitrina.simulate.presets import Preset
from vitrina.simulate.rng import stream
from vitrina.simulate.shop import vocab

__all__ = ["STATUS", "Table", "World", "build_history", "history_start_ms", "order_timeline"]

PRODUCT_AGE_MS = 180 * DAY_MS  # a product may have been created this long before the history
STATUS = np.array(["pending", "paid", "shipped", "delivered", "cancelled"])
LOYALTY = np.array(["Bronze", "Silver", "Gold"])


@dataclass
class World:
    """The state of the shop: tables as numpy columns, plus lookups the live activity needs."""

    seed: int
    preset: Preset
    start_ms: int
    users: Table
    categories: Table
    products: Table
    orders: Table  # carries internal columns (_paid_ms, ...) dropped on output
    order_details: Table
    reviews: Table
    loyalty_points: Table
    popularity_cdf: np.ndarray  # over product indices, Zipf-like
    registrations: Table = field(default_factory=dict)  # live registration events


def _zipf_cdf(n: int, s: float, rng: np.random.Generator) -> np.ndarray:
    """CDF over ``n`` items whose popularity follows rank^-s, ranks shuffled among items."""
    weights = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** s
    weights = weights[rng.permutation(n)]
    cdf: np.ndarray = np.cumsum(weights)
    return cdf / cdf[-1]  # type: ignore[no-any-return]


def draw(cdf: np.ndarray, rng: np.random.Generator, size: int) -> np.ndarray:
    """Indices drawn from a CDF (vectorised inverse transform)."""
    return inverse_cdf(cdf, rng.random(size))


def order_timeline(
    order_ms: np.ndarray, rng: np.random.Generator, end_ms: int
) -> dict[str, np.ndarray]:
    """Status of each order as of ``end_ms``: pending -> paid -> shipped -> delivered, or cancelled.

    Returns the status, the delivery time (−1 when not delivered yet) and the payment time
    (−1 when not paid by ``end_ms``), which loyalty points hang off.
    """
    n = len(order_ms)
    paid = order_ms + rng.exponential(HOUR_MS, n).astype(np.int64) + 60_000
    shipped = paid + rng.integers(HOUR_MS * 12, DAY_MS * 2, n)
    delivered = shipped + rng.integers(DAY_MS, DAY_MS * 5, n)
    cancel = np.where(
        rng.random(n) < 0.06, order_ms + rng.exponential(HOUR_MS * 6, n).astype(np.int64), -1
    )
    stage = (paid <= end_ms).astype(np.int64) + (shipped <= end_ms) + (delivered <= end_ms)
    cancelled = (cancel >= 0) & (cancel <= end_ms) & ((stage < 2) | (cancel < shipped))
    status = np.where(cancelled, 4, stage)
    return {
        "status": STATUS[status],
        "delivery_ms": np.where(status == 3, delivered, -1),
        "paid_ms": np.where((status >= 1) & (status <= 3), paid, -1),
    }


def _users(p: Preset, seed: int, t0: int, t1: int, first_id: int = 1) -> Table:
    rng = stream(seed, "history", "users")
    n = p.users
    # Growth: later registrations are more likely (density rising over the history).
    reg = t0 + (np.sqrt(rng.random(n)) * (t1 - t0)).astype(np.int64)
    reg.sort()
    reg[0] = t0  # someone is there from the first day, so every order has a possible buyer
    return _person_columns(rng, np.arange(first_id, first_id + n, dtype=np.int64), reg)


def _person_columns(rng: np.random.Generator, ids: np.ndarray, reg_ms: np.ndarray) -> Table:
    n = len(ids)
    return {
        "user_id": ids,
        "first_name": np.array(vocab.FIRST_NAMES)[rng.integers(0, len(vocab.FIRST_NAMES), n)],
        "last_name": np.array(vocab.LAST_NAMES)[rng.integers(0, len(vocab.LAST_NAMES), n)],
        "_domain": np.array(vocab.EMAIL_DOMAINS)[rng.integers(0, len(vocab.EMAIL_DOMAINS), n)],
        "_phone": rng.integers(0, 10_000_000, n),
        "registration_ms": reg_ms,
        "loyalty_status": LOYALTY[np.minimum(draw(np.array([0.6, 0.88, 1.0]), rng, n), 2)],
    }


def _categories(p: Preset) -> tuple[Table, np.ndarray]:
    """Top categories then their sub-categories; returns the table and the leaf ids."""
    tops = vocab.CATEGORY_TREE[: p.top_categories]
    names: list[str] = [t[0] for t in tops]
    parents: list[int] = [0] * len(tops)
    leaf_nouns: list[tuple[str, ...]] = []
    subs = [(ti, sub) for ti, t in enumerate(tops) for sub in t[1]]
    # Round-robin over the tops so small presets still span the hierarchy.
    subs.sort(key=lambda x: (tops[x[0]][1].index(x[1]), x[0]))
    for ti, (name, nouns) in subs[: max(p.categories - len(tops), 1)]:
        names.append(name)
        parents.append(ti + 1)
        leaf_nouns.append(nouns)
    # Presets larger than the vocabulary get numbered sub-categories.
    k = 0
    while len(names) < p.categories:
        ti = k % len(tops)
        names.append(f"{tops[ti][1][k % len(tops[ti][1])][0]} {k // len(tops) + 2}")
        parents.append(ti + 1)
        leaf_nouns.append(tops[ti][1][k % len(tops[ti][1])][1])
        k += 1
    n = len(names)
    table = {
        "category_id": np.arange(1, n + 1, dtype=np.int64),
        "name": np.array(names),
        "parent_category_id": np.array(parents, dtype=np.int64),  # 0 = no parent (NULL)
    }
    table["_nouns"] = np.array(["|".join(x) for x in ([()] * len(tops) + leaf_nouns)], dtype=object)
    return table, np.arange(len(tops) + 1, n + 1, dtype=np.int64)


def _products(p: Preset, seed: int, cats: Table, leaves: np.ndarray, t0: int) -> Table:
    rng = stream(seed, "history", "products")
    n = p.products
    cat = leaves[rng.integers(0, len(leaves), n)]
    nouns = cats["_nouns"][cat - 1]
    pick = rng.integers(0, 3, n)
    noun = np.array(
        [s.split("|")[i % (s.count("|") + 1)] for s, i in zip(nouns, pick, strict=True)]
    )
    adj = np.array(vocab.ADJECTIVES)[rng.integers(0, len(vocab.ADJECTIVES), n)]
    material = np.array(vocab.MATERIALS)[rng.integers(0, len(vocab.MATERIALS), n)]
    price_cents = np.round(np.exp(rng.normal(np.log(35.0), 0.9, n)) * 100).astype(np.int64)
    price_cents = np.clip(price_cents, 99, 500_000) // 10 * 10 + 9  # shop prices end in .x9
    return {
        "product_id": np.arange(1, n + 1, dtype=np.int64),
        "name": np.char.add(np.char.add(adj, " "), noun),
        "description": np.char.add(
            np.char.add(np.char.add(adj, " "), noun), np.char.add(" made of ", material)
        ),
        "category_id": cat,
        "price_cents": price_cents,
        "stock_quantity": rng.integers(0, 500, n),
        "creation_ms": t0 - rng.integers(0, PRODUCT_AGE_MS, n),
    }


def _orders(
    p: Preset,
    seed: int,
    users: Table,
    products: Table,
    cdf: np.ndarray,
    t0: int,
    t1: int,
    end_ms: int,
) -> tuple[Table, Table]:
    rng = stream(seed, "history", "orders")
    n = p.orders
    order_ms = np.sort(t0 + (np.sqrt(rng.random(n)) * (t1 - t0 - HOUR_MS)).astype(np.int64))
    n_registered = np.searchsorted(users["registration_ms"], order_ms, side="right")
    buyer = (rng.random(n) * n_registered).astype(np.int64)  # among users registered by then
    n_lines = np.minimum(rng.geometric(0.3, n), 10)
    order_ids = np.arange(1, n + 1, dtype=np.int64)
    orders = {"order_id": order_ids, "user_id": users["user_id"][buyer], "order_ms": order_ms}
    orders.update(order_timeline(order_ms, rng, end_ms))
    lines = make_lines(rng, np.repeat(order_ids, n_lines), products, cdf, first_detail_id=1)
    orders["total_cents"] = order_totals(order_ids, lines)
    return orders, lines


def make_lines(
    rng: np.random.Generator,
    line_order: np.ndarray,
    products: Table,
    cdf: np.ndarray,
    first_detail_id: int,
    product_idx: np.ndarray | None = None,
) -> Table:
    """Order lines: distinct products per order, line price = the product's price at order time."""
    prod = draw(cdf, rng, len(line_order)) if product_idx is None else product_idx
    qty = np.minimum(rng.geometric(0.6, len(line_order)), 5)
    # Merge repeated products within an order into one line (sum of quantities).
    key = line_order * (len(products["product_id"]) + 1) + prod
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    qty = np.bincount(inverse, weights=qty).astype(np.int64)
    order = line_order[first]
    prod = prod[first]
    price = products["price_cents"][prod]
    return {
        "order_detail_id": np.arange(first_detail_id, first_detail_id + len(uniq), dtype=np.int64),
        "order_id": order,
        "product_id": products["product_id"][prod],
        "quantity": qty,
        "price_cents": price,
        "total_cents": price * qty,
    }


def order_totals(order_ids: np.ndarray, lines: Table) -> np.ndarray:
    idx = np.searchsorted(order_ids, lines["order_id"])
    return np.bincount(idx, weights=lines["total_cents"], minlength=len(order_ids)).astype(np.int64)


def reviews_for(
    rng: np.random.Generator,
    orders: Table,
    lines: Table,
    k: int | None,
    p: float,
    before_ms: int,
    first_id: int,
) -> Table:
    """Reviews only of delivered products, one per (user, product), after the delivery."""
    o_idx = np.searchsorted(orders["order_id"], lines["order_id"])
    delivered = orders["delivery_ms"][o_idx]
    user = orders["user_id"][o_idx]
    ok = (delivered >= 0) & (delivered < before_ms)
    pair = user * 10_000_000_000 + lines["product_id"]
    cand = np.flatnonzero(ok)
    _, first = np.unique(pair[cand], return_index=True)
    cand = np.sort(cand[first])
    cand = (
        cand[rng.random(len(cand)) < p] if k is None else rng.permutation(cand)[: min(k, len(cand))]
    )
    cand = np.sort(cand)
    m = len(cand)
    after = delivered[cand] + rng.exponential(2 * DAY_MS, m).astype(np.int64) + 60_000
    after = np.where(after < before_ms, after, delivered[cand] + (before_ms - delivered[cand]) // 2)
    keep = after < before_ms
    cand, after = cand[keep], after[keep]
    m = len(cand)
    rating = np.minimum(draw(np.array([0.05, 0.1, 0.25, 0.55, 1.0]), rng, m) + 1, 5)
    phrase = rng.integers(0, 3, m)
    texts = np.array(
        [vocab.REVIEW_PHRASES[r][i] for r, i in zip(rating, phrase, strict=True)], dtype=object
    )
    order = np.argsort(after, kind="stable")
    return {
        "review_id": np.arange(first_id, first_id + m, dtype=np.int64),
        "user_id": user[cand][order],
        "product_id": lines["product_id"][cand][order],
        "rating": rating[order].astype(np.int64),
        "review_text": texts[order],
        "created_ms": after[order],
    }


def points_for_orders(orders: Table, mask: np.ndarray) -> Table:
    """One point per whole currency unit of a paid order, granted at payment."""
    idx = np.flatnonzero(mask & (orders["paid_ms"] >= 0))
    return {
        "user_id": orders["user_id"][idx],
        "points": np.maximum(orders["total_cents"][idx] // 100, 1),
        "reason": np.full(len(idx), "order", dtype=object),
        "created_ms": orders["paid_ms"][idx],
    }


def promotions(
    rng: np.random.Generator, user_ids: np.ndarray, reg_ms: np.ndarray, at_ms: np.ndarray
) -> Table:
    """Promotional points for users registered before each grant time."""
    n_reg = np.searchsorted(reg_ms, at_ms, side="right")
    who = (rng.random(len(at_ms)) * np.maximum(n_reg, 1)).astype(np.int64)
    reason = np.array(["promotion", "birthday", "referral"], dtype=object)[
        rng.integers(0, 3, len(at_ms))
    ]
    return {
        "user_id": user_ids[who],
        "points": np.array([50, 100, 200, 500])[rng.integers(0, 4, len(at_ms))].astype(np.int64),
        "reason": reason,
        "created_ms": at_ms,
    }


def history_start_ms(preset: Preset, start_ms: int) -> int:
    """The earliest instant in the history of a world that goes live at ``start_ms``."""
    return start_ms - preset.history_days * DAY_MS - PRODUCT_AGE_MS


def build_history(preset: Preset, seed: int, start_ms: int, end_ms: int) -> World:
    """The world as of ``start_ms`` (statuses of its orders as of ``end_ms``)."""
    t0 = start_ms - preset.history_days * DAY_MS
    users = _users(preset, seed, t0, start_ms - HOUR_MS)
    cats, leaves = _categories(preset)
    products = _products(preset, seed, cats, leaves, t0)
    cdf = _zipf_cdf(preset.products, 0.95, stream(seed, "history", "popularity"))
    orders, lines = _orders(preset, seed, users, products, cdf, t0, start_ms, end_ms)
    reviews = reviews_for(
        stream(seed, "history", "reviews"), orders, lines, preset.reviews, 0.0, start_ms, first_id=1
    )
    rng = stream(seed, "history", "loyalty")
    n_from_orders = min(int(preset.loyalty_points * 0.7), int((orders["paid_ms"] >= 0).sum()))
    chosen = np.zeros(len(orders["order_id"]), dtype=bool)
    paid_idx = np.flatnonzero(orders["paid_ms"] >= 0)
    chosen[np.sort(rng.permutation(paid_idx)[:n_from_orders])] = True
    earned = points_for_orders(orders, chosen)
    promo_at = np.sort(
        t0
        + (rng.random(preset.loyalty_points - len(earned["points"])) * (start_ms - t0)).astype(
            np.int64
        )
    )
    points = concat(earned, promotions(rng, users["user_id"], users["registration_ms"], promo_at))
    order = np.argsort(points["created_ms"], kind="stable")
    points = {k: v[order] for k, v in points.items()}
    points["loyalty_id"] = np.arange(1, len(order) + 1, dtype=np.int64)
    return World(seed, preset, start_ms, users, cats, products, orders, lines, reviews, points, cdf)
