"""Click events from simulator columns: the contract-shaped frame and the faults a click can carry."""

from __future__ import annotations

import numpy as np
import polars as pl

from vitrina.simulate.base import Table, Violation
from vitrina.simulate.output import fixed_width_strings, ts_strings

__all__ = ["CLICK_VIOLATIONS", "DEVICES", "EVENT_TYPES", "clicks_frame"]

# Codes of the simulator's int8 columns: the position in these arrays.
EVENT_TYPES = np.array(["view", "click", "add_to_cart", "purchase"])
DEVICES = np.array(["desktop", "mobile", "tablet"])
_EVENT_TYPES = pl.Series(EVENT_TYPES.tolist())
_DEVICES = pl.Series(DEVICES.tolist())

CLICK_VIOLATIONS: tuple[Violation, ...] = (
    ("event_type", "event_type 'hover' is not an event type", pl.lit("hover")),
    ("product_id", "product_id is negative", -pl.col("product_id")),
    ("ts", "ts is not a timestamp", pl.lit("not-a-time")),
    ("user_id", "user_id is missing", pl.lit(None, dtype=pl.Int64)),
)


def clicks_frame(ev: Table) -> pl.DataFrame:
    """Click events in the contract's field order."""
    return pl.DataFrame(
        {
            "event_id": fixed_width_strings(ev["event_id"]),
            "user_id": ev["user_id"],
            "session_id": fixed_width_strings(ev["session_id"]),
            "product_id": ev["product_id"],
            "event_type": _EVENT_TYPES.gather(ev["event_type"]),
            "ts": ts_strings(ev["ts"]),
            "device": _DEVICES.gather(ev["device"]),
        }
    )
