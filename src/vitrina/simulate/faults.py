"""Fault injection: duplicates, late arrivals, malformed JSON and contract violations.

Every injected record is listed in a manifest (``<data>/faults/manifest.jsonl``) with where it
landed (topic, file, line or table and key), so tests can prove each one is caught later.
Faults are drawn from their own random streams: turning them on never changes the clean data.
What a violation breaks is the topic's (see ``Topic.violations``); snapshot faults are the
domain simulator's own.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from vitrina.simulate.base import COPY_DELAY_MS, FaultRates, Table, Violation
from vitrina.simulate.rng import stream

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
    "plan_event_faults",
]

NONE, DUPLICATE, LATE, MALFORMED, VIOLATION = 0, 1, 2, 3, 4
FAULT_NAMES = {DUPLICATE: "duplicate", LATE: "late", MALFORMED: "malformed", VIOLATION: "violation"}


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
    copies["arrival_ms"] = copies["ts"] + rng.integers(1_000, COPY_DELAY_MS, len(dup))
    copies["fault"] = np.full(len(dup), DUPLICATE, dtype=np.int8)
    return {k: np.concatenate([out[k], copies[k]]) for k in out}


def apply_violations(
    rules: tuple[Violation, ...], df: pl.DataFrame, fault: np.ndarray, variant: np.ndarray
) -> tuple[pl.DataFrame, list[str]]:
    """Break one field of each violating row (the topic's ``rules``, picked by ``variant``);
    returns the frame and a detail per row ('' if none)."""
    details = np.full(len(df), "", dtype=object)
    exprs: dict[str, pl.Expr] = {}  # several rules may break the same field: chain them
    for i, (column, text, value) in enumerate(rules):
        mask = pl.Series((fault == VIOLATION) & (variant == i))
        details[mask.to_numpy()] = text
        exprs[column] = pl.when(mask).then(value).otherwise(exprs.get(column, pl.col(column)))
    if (fault == VIOLATION).any():
        df = df.with_columns([e.alias(c) for c, e in exprs.items()])
    return df, list(details)


def break_lines(payload: bytes, rows: np.ndarray) -> bytes:
    """Truncate the given 0-based lines mid-object so that they are not valid JSON."""
    if len(rows) == 0:
        return payload
    lines = payload.split(b"\n")
    for i in rows:
        lines[i] = lines[i][: max(len(lines[i]) // 2, 1)]
    return b"\n".join(lines)
