"""Turn simulator columns into contract-shaped Arrow tables and JSON Lines bytes."""

from __future__ import annotations

import io

import numpy as np
import polars as pl
import pyarrow as pa

from vitrina.simulate.activity import DEVICES, EVENT_TYPES
from vitrina.simulate.world import Table

__all__ = ["clicks_frame", "emails", "ndjson", "oltp_tables", "registrations_frame", "ts_strings"]

_TS = "%Y-%m-%dT%H:%M:%S%.3fZ"
_EVENT_TYPES = pl.Series(EVENT_TYPES.tolist())
_DEVICES = pl.Series(DEVICES.tolist())


def _decimal(cents: np.ndarray) -> pa.Array:
    """Exact decimal(12,2) from integer cents (the unscaled value of a scale-2 decimal)."""
    cents = np.ascontiguousarray(cents, dtype=np.int64)
    words = np.empty((len(cents), 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = cents >> 63  # sign extension to 128 bits
    return pa.Array.from_buffers(
        pa.decimal128(12, 2), len(cents), [None, pa.py_buffer(words.tobytes())]
    )


def _ts(ms: np.ndarray, null_below_zero: bool = False) -> pa.Array:
    ms = np.asarray(ms, dtype=np.int64)
    mask = (ms < 0) if null_below_zero else None
    return pa.array(ms, type=pa.int64(), mask=mask).cast(pa.timestamp("ms", tz="UTC"))


def _str(values: np.ndarray) -> pa.Array:
    return pa.array(
        values.astype(str) if values.dtype.kind in "SU" else values.astype(object), type=pa.string()
    )


def ts_strings(ms: np.ndarray) -> pl.Series:
    """ISO-8601 UTC strings with milliseconds and ``Z``, vectorised."""
    return pl.Series(np.asarray(ms, dtype=np.int64)).cast(pl.Datetime("ms")).dt.strftime(_TS)


def emails(u: Table) -> pl.Series:
    df = pl.DataFrame(
        {
            "f": u["first_name"].astype(str),
            "l": u["last_name"].astype(str),
            "i": u["user_id"],
            "d": u["_domain"].astype(str),
        }
    )
    return df.select(
        pl.format(
            "{}.{}{}@{}",
            pl.col("f").str.to_lowercase(),
            pl.col("l").str.to_lowercase(),
            pl.col("i"),
            pl.col("d"),
        )
    ).to_series()


def _phones(u: Table) -> pl.Series:
    n = pl.col("n")
    return (
        pl.DataFrame({"n": u["_phone"]})
        .select(
            pl.format(
                "+1-555-{}-{}",
                (n // 10_000).cast(pl.String).str.zfill(3),
                (n % 10_000).cast(pl.String).str.zfill(4),
            )
        )
        .to_series()
    )


def oltp_tables(tables: dict[str, Table]) -> dict[str, pa.Table]:
    """The OLTP source tables, named and shaped as in the contracts."""
    u, c, p = tables["users"], tables["categories"], tables["products"]
    o, d, r, lp = (
        tables["orders"],
        tables["order_details"],
        tables["reviews"],
        tables["loyalty_points"],
    )
    given_emails = u.get("email")
    return {
        "users": pa.table(
            {
                "user_id": u["user_id"],
                "first_name": _str(u["first_name"]),
                "last_name": _str(u["last_name"]),
                "email": emails(u).to_arrow() if given_emails is None else _str(given_emails),
                "phone": _phones(u).to_arrow(),
                "registration_date": _ts(u["registration_ms"]),
                "loyalty_status": _str(u["loyalty_status"]),
            }
        ),
        "categories": pa.table(
            {
                "category_id": c["category_id"],
                "name": _str(c["name"]),
                "parent_category_id": pa.array(
                    c["parent_category_id"], mask=c["parent_category_id"] == 0
                ),
            }
        ),
        "products": pa.table(
            {
                "product_id": p["product_id"],
                "name": _str(p["name"]),
                "description": _str(p["description"]),
                "category_id": p["category_id"],
                "price": _decimal(p["price_cents"]),
                "stock_quantity": p["stock_quantity"].astype(np.int64),
                "creation_date": _ts(p["creation_ms"]),
            }
        ),
        "orders": pa.table(
            {
                "order_id": o["order_id"],
                "user_id": o["user_id"],
                "order_date": _ts(o["order_ms"]),
                "total_amount": _decimal(o["total_cents"]),
                "status": _str(o["status"]),
                "delivery_date": _ts(o["delivery_ms"], null_below_zero=True),
            }
        ),
        "order_details": pa.table(
            {
                "order_detail_id": d["order_detail_id"],
                "order_id": d["order_id"],
                "product_id": d["product_id"],
                "quantity": d["quantity"],
                "price_per_unit": _decimal(d["price_cents"]),
                "total_price": _decimal(d["total_cents"]),
            }
        ),
        "reviews": pa.table(
            {
                "review_id": r["review_id"],
                "user_id": r["user_id"],
                "product_id": r["product_id"],
                "rating": r["rating"],
                "review_text": _str(r["review_text"]),
                "created_at": _ts(r["created_ms"]),
            }
        ),
        "loyalty_points": pa.table(
            {
                "loyalty_id": lp["loyalty_id"],
                "user_id": lp["user_id"],
                "points": lp["points"],
                "reason": _str(lp["reason"]),
                "created_at": _ts(lp["created_ms"]),
            }
        ),
    }


def _fixed_width_strings(values: np.ndarray) -> pl.Series:
    """A numpy ``S<w>`` array of ASCII as a Polars string column, without a per-value copy."""
    n, width = len(values), values.dtype.itemsize
    offsets = pa.py_buffer((np.arange(n + 1, dtype=np.int64) * width).tobytes())
    data = pa.py_buffer(np.ascontiguousarray(values).view(np.uint8))
    return pl.from_arrow(pa.Array.from_buffers(pa.large_string(), n, [None, offsets, data]))  # type: ignore[return-value]


def clicks_frame(ev: Table) -> pl.DataFrame:
    """Click events in the contract's field order."""
    return pl.DataFrame(
        {
            "event_id": _fixed_width_strings(ev["event_id"]),
            "user_id": ev["user_id"],
            "session_id": _fixed_width_strings(ev["session_id"]),
            "product_id": ev["product_id"],
            "event_type": _EVENT_TYPES.gather(ev["event_type"]),
            "ts": ts_strings(ev["ts"]),
            "device": _DEVICES.gather(ev["device"]),
        }
    )


def registrations_frame(u: Table) -> pl.DataFrame:
    """Registration events: the new user's fields, and the event's own id and time."""
    reg = ts_strings(u["registration_ms"])
    return pl.DataFrame(
        {
            "event_id": pl.Series(u["event_id"]).cast(pl.String),
            "user_id": u["user_id"],
            "first_name": u["first_name"].astype(str),
            "last_name": u["last_name"].astype(str),
            "email": emails(u),
            "phone": _phones(u),
            "registration_date": reg,
            "loyalty_status": u["loyalty_status"].astype(str),
            "ts": reg,
        }
    )


def ndjson(df: pl.DataFrame) -> bytes:
    """JSON Lines bytes, one object per row, newline-terminated."""
    buf = io.BytesIO()
    df.write_ndjson(buf)
    return buf.getvalue()
