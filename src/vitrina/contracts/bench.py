"""A throughput benchmark of the contracts: parse and validate N click events as JSON lines."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass

import numpy as np
import polars as pl

from vitrina.contracts.batch import validate_table
from vitrina.contracts.jsonl import parse_jsonl
from vitrina.contracts.types import DEVICES, EVENT_TYPES

__all__ = ["ContractsBench", "click_lines", "run_bench"]


@dataclass(frozen=True)
class ContractsBench:
    """Figures of one run: rows, bytes, seconds and rows per second of each step."""

    rows: int
    bytes: int
    malformed: int
    invalid: int
    parse_s: float
    validate_s: float

    def as_dict(self) -> dict[str, float | int]:
        total = self.parse_s + self.validate_s
        return {
            "rows": self.rows,
            "bytes": self.bytes,
            "malformed": self.malformed,
            "invalid": self.invalid,
            "parse_s": round(self.parse_s, 3),
            "validate_s": round(self.validate_s, 3),
            "parse_rows_per_s": round(self.rows / self.parse_s) if self.parse_s else 0,
            "validate_rows_per_s": round(self.rows / self.validate_s) if self.validate_s else 0,
            "rows_per_s": round(self.rows / total) if total else 0,
        }


def _prefixed(prefix: str, ids: np.ndarray) -> pl.Series:
    return prefix + pl.Series(ids).cast(pl.String)


def click_lines(rows: int, seed: int = 1, malformed_rate: float = 0.0) -> bytes:
    """``rows`` click events as JSON lines (vectorised); a share of lines cut in half."""
    rng = np.random.default_rng(seed)
    ts = 1_795_354_532_033 + np.sort(rng.integers(0, 86_400_000, rows))
    frame = (
        pl.DataFrame(
            {
                "event_id": _prefixed("e", rng.integers(0, 2**62, rows)),
                "user_id": rng.integers(1, 500_000, rows),
                "session_id": _prefixed("s", rng.integers(0, 2**40, rows)),
                "product_id": rng.integers(1, 100_000, rows),
                "event_type": np.array(EVENT_TYPES)[rng.integers(0, len(EVENT_TYPES), rows)],
                "ts": pl.Series(ts).cast(pl.Datetime("ms")).dt.strftime("%Y-%m-%dT%H:%M:%S%.3fZ"),
                "device": np.array(DEVICES)[rng.integers(0, len(DEVICES), rows)],
            }
        )
        if rows
        else pl.DataFrame()
    )
    buf = io.BytesIO()
    frame.write_ndjson(buf)
    data = buf.getvalue()
    if malformed_rate <= 0 or not rows:
        return data
    lines = data.split(b"\n")
    for i in np.flatnonzero(rng.random(rows) < malformed_rate):
        lines[i] = lines[i][: len(lines[i]) // 2]
    return b"\n".join(lines)


def run_bench(rows: int, *, seed: int = 1, malformed_rate: float = 0.0) -> ContractsBench:
    """Time ``parse_jsonl`` and ``validate_table`` over ``rows`` click events."""
    data = click_lines(rows, seed, malformed_rate)
    began = time.perf_counter()
    batch = parse_jsonl(data, "clicks", "bench")
    parsed = time.perf_counter()
    result = validate_table("clicks", batch.frame)
    done = time.perf_counter()
    return ContractsBench(
        rows=rows,
        bytes=len(data),
        malformed=batch.bad.height,
        invalid=result.invalid.height,
        parse_s=parsed - began,
        validate_s=done - parsed,
    )
