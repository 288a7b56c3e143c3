"""Contract violations in the shop's OLTP tables (the snapshot side of fault injection)."""

from __future__ import annotations

import numpy as np

from vitrina.simulate.base import DAY_MS, Table
from vitrina.simulate.rng import stream

__all__ = ["oltp_faults"]


def oltp_faults(seed: int, tables: dict[str, Table], rate: float) -> list[dict[str, object]]:
    """Contract violations in the OLTP source: wrong order totals, impossible dates, bad
    ratings, duplicate e-mails. Mutates ``tables``; returns manifest entries."""
    rng = stream(seed, "faults", "oltp")
    entries: list[dict[str, object]] = []

    def pick(n: int, eligible: np.ndarray | None = None) -> np.ndarray:
        pool = np.arange(n) if eligible is None else np.flatnonzero(eligible)
        k = min(len(pool), max(1, round(rate * n))) if len(pool) else 0
        return (
            np.sort(rng.choice(pool, size=k, replace=False)) if k else np.zeros(0, dtype=np.int64)
        )

    o = tables["orders"]
    idx = pick(len(o["order_id"]))
    o["total_cents"][idx] += 100
    entries += [
        {
            "kind": "violation",
            "table": "orders",
            "key": int(o["order_id"][i]),
            "detail": "total_amount != sum of lines + 1.00",
        }
        for i in idx
    ]
    idx = pick(
        len(o["order_id"]), (o["delivery_ms"] >= 0) & ~np.isin(np.arange(len(o["order_id"])), idx)
    )
    o["delivery_ms"][idx] = o["order_ms"][idx] - DAY_MS
    entries += [
        {
            "kind": "violation",
            "table": "orders",
            "key": int(o["order_id"][i]),
            "detail": "delivery_date before order_date",
        }
        for i in idx
    ]
    r = tables["reviews"]
    idx = pick(len(r["review_id"]))
    r["rating"][idx] = np.where(rng.random(len(idx)) < 0.5, 0, 6)
    entries += [
        {
            "kind": "violation",
            "table": "reviews",
            "key": int(r["review_id"][i]),
            "detail": f"rating {int(r['rating'][i])} outside 1..5",
        }
        for i in idx
    ]
    u = tables["users"]
    n = len(u["user_id"])
    if n > 1:
        idx = pick(n - 1) + 1
        emails = np.array(u["email"], dtype=object)
        emails[idx] = emails[idx - 1]
        u["email"] = emails
        entries += [
            {
                "kind": "violation",
                "table": "users",
                "key": int(u["user_id"][i]),
                "detail": f"email duplicates user {int(u['user_id'][i - 1])}",
            }
            for i in idx
        ]
    return entries
