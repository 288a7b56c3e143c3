"""Fault injection: duplicates, late arrivals, malformed JSON and contract violations.

Every injected record is listed in a manifest (``<data>/faults/manifest.jsonl``) with where it
landed (topic, file, line or table and key), so tests can prove each one is caught later.
Faults are drawn from their own random streams: turning them on never changes the clean data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from vitrina.simulate.rng import stream
from vitrina.simulate.world import DAY_MS, Table

__all__ = [
    "DUPLICATE",
    "FAULT_NAMES",
    "LATE",
    "MALFORMED",
    "NONE",
    "VIOLATION",
    "FaultRates",
    "apply_violations",
    "break_lines",
    "oltp_faults",
    "plan_event_faults",
]

NONE, DUPLICATE, LATE, MALFORMED, VIOLATION = 0, 1, 2, 3, 4
_COPY_DELAY_MS = 120_000  # a duplicate copy arrives up to this long after the original
FAULT_NAMES = {DUPLICATE: "duplicate", LATE: "late", MALFORMED: "malformed", VIOLATION: "violation"}


@dataclass(frozen=True)
class FaultRates:
    duplicate: float = 0.0
    late: float = 0.0
    malformed: float = 0.0
    violation: float = 0.0
    late_by_ms: int = 600_000

    @property
    def any(self) -> bool:
        return max(self.duplicate, self.late, self.malformed, self.violation) > 0

    @property
    def max_delay_ms(self) -> int:
        """The longest an event may arrive after its time (event-log slices go by arrival)."""
        late = 2 * self.late_by_ms if self.late > 0 else 0
        return max(late, _COPY_DELAY_MS if self.duplicate > 0 else 0)


def plan_event_faults(seed: int, topic: str, hour: int, events: Table, rates: FaultRates) -> Table:
    """Add ``arrival_ms``, ``fault`` and ``variant`` columns; duplicates are appended copies.

    Without faults an event arrives at its event time. A late event arrives ``late_by`` to
    ``2 × late_by`` after it; a duplicate copy arrives 1 s to 2 min after the original.
    """
    n = len(events["ts"])
    out = dict(events)
    out["arrival_ms"] = events["ts"].copy()
    out["fault"] = np.zeros(n, dtype=np.int8)
    out["variant"] = np.zeros(n, dtype=np.int8)
    if not rates.any or n == 0:
        return out
    rng = stream(seed, "faults", topic, hour)
    u = rng.random(n)
    edges = np.cumsum([rates.late, rates.malformed, rates.violation])
    kind = np.select([u < edges[0], u < edges[1], u < edges[2]], [LATE, MALFORMED, VIOLATION], NONE)
    out["fault"] = kind.astype(np.int8)
    out["variant"] = rng.integers(0, 4, n).astype(np.int8)
    late = kind == LATE
    out["arrival_ms"] = np.where(
        late,
        events["ts"] + rates.late_by_ms + (rng.random(n) * rates.late_by_ms).astype(np.int64),
        events["ts"],
    )
    dup = np.flatnonzero((kind == NONE) & (rng.random(n) < rates.duplicate))
    copies = {k: v[dup] for k, v in out.items()}
    copies["arrival_ms"] = copies["ts"] + rng.integers(1_000, _COPY_DELAY_MS, len(dup))
    copies["fault"] = np.full(len(dup), DUPLICATE, dtype=np.int8)
    return {k: np.concatenate([out[k], copies[k]]) for k in out}


_CLICK_VIOLATIONS = (
    ("event_type", "event_type 'hover' is not an event type", pl.lit("hover")),
    ("product_id", "product_id is negative", -pl.col("product_id")),
    ("ts", "ts is not a timestamp", pl.lit("not-a-time")),
    ("user_id", "user_id is missing", pl.lit(None, dtype=pl.Int64)),
)
_REGISTRATION_VIOLATIONS = (
    ("loyalty_status", "loyalty_status 'Platinum' is not allowed", pl.lit("Platinum")),
    ("email", "email is not an e-mail address", pl.lit("not-an-email")),
    ("ts", "ts is not a timestamp", pl.lit("yesterday")),
    ("user_id", "user_id is missing", pl.lit(None, dtype=pl.Int64)),
)
VIOLATIONS = {"clicks": _CLICK_VIOLATIONS, "registrations": _REGISTRATION_VIOLATIONS}


def apply_violations(
    topic: str, df: pl.DataFrame, fault: np.ndarray, variant: np.ndarray
) -> tuple[pl.DataFrame, list[str]]:
    """Break one field of each violating row; returns the frame and a detail per row ('' if none)."""
    details = np.full(len(df), "", dtype=object)
    rules = VIOLATIONS[topic]
    exprs = []
    for i, (column, text, value) in enumerate(rules):
        mask = pl.Series((fault == VIOLATION) & (variant == i))
        details[mask.to_numpy()] = text
        exprs.append(pl.when(mask).then(value).otherwise(pl.col(column)).alias(column))
    if (fault == VIOLATION).any():
        df = df.with_columns(exprs)
    return df, list(details)


def break_lines(payload: bytes, rows: np.ndarray) -> bytes:
    """Truncate the given 0-based lines mid-object so that they are not valid JSON."""
    if len(rows) == 0:
        return payload
    lines = payload.split(b"\n")
    for i in rows:
        lines[i] = lines[i][: max(len(lines[i]) // 2, 1)]
    return b"\n".join(lines)


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
