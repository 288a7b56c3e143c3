"""The shop's outputs: its OLTP tables shaped as the contracts, and the registration events."""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow as pa

from vitrina.simulate.base import Table, Violation
from vitrina.simulate.output import arrow_table, decimals, strings, timestamps, ts_strings

__all__ = ["REGISTRATION_VIOLATIONS", "emails", "oltp_tables", "registrations_frame"]

REGISTRATION_VIOLATIONS: tuple[Violation, ...] = (
    ("loyalty_status", "loyalty_status 'Platinum' is not allowed", pl.lit("Platinum")),
    ("email", "email is not an e-mail address", pl.lit("not-an-email")),
    ("ts", "ts is not a timestamp", pl.lit("yesterday")),
    ("user_id", "user_id is missing", pl.lit(None, dtype=pl.Int64)),
)


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
    """The OLTP source tables, typed and ordered by the contracts."""
    u, c, p = tables["users"], tables["categories"], tables["products"]
    o, d, r, lp = (
        tables["orders"],
        tables["order_details"],
        tables["reviews"],
        tables["loyalty_points"],
    )
    given_emails = u.get("email")
    columns: dict[str, dict[str, pa.Array | np.ndarray]] = {
        "users": {
            "user_id": u["user_id"],
            "first_name": strings(u["first_name"]),
            "last_name": strings(u["last_name"]),
            "email": emails(u).to_arrow() if given_emails is None else strings(given_emails),
            "phone": _phones(u).to_arrow(),
            "registration_date": timestamps(u["registration_ms"]),
            "loyalty_status": strings(u["loyalty_status"]),
        },
        "categories": {
            "category_id": c["category_id"],
            "name": strings(c["name"]),
            "parent_category_id": pa.array(
                c["parent_category_id"], mask=c["parent_category_id"] == 0
            ),
        },
        "products": {
            "product_id": p["product_id"],
            "name": strings(p["name"]),
            "description": strings(p["description"]),
            "category_id": p["category_id"],
            "price": decimals(p["price_cents"]),
            "stock_quantity": p["stock_quantity"].astype(np.int64),
            "creation_date": timestamps(p["creation_ms"]),
        },
        "orders": {
            "order_id": o["order_id"],
            "user_id": o["user_id"],
            "order_date": timestamps(o["order_ms"]),
            "total_amount": decimals(o["total_cents"]),
            "status": strings(o["status"]),
            "delivery_date": timestamps(o["delivery_ms"], null_below_zero=True),
        },
        "order_details": {
            "order_detail_id": d["order_detail_id"],
            "order_id": d["order_id"],
            "product_id": d["product_id"],
            "quantity": d["quantity"],
            "price_per_unit": decimals(d["price_cents"]),
            "total_price": decimals(d["total_cents"]),
        },
        "reviews": {
            "review_id": r["review_id"],
            "user_id": r["user_id"],
            "product_id": r["product_id"],
            "rating": r["rating"],
            "review_text": strings(r["review_text"]),
            "created_at": timestamps(r["created_ms"]),
        },
        "loyalty_points": {
            "loyalty_id": lp["loyalty_id"],
            "user_id": lp["user_id"],
            "points": lp["points"],
            "reason": strings(lp["reason"]),
            "created_at": timestamps(lp["created_ms"]),
        },
    }
    return {entity: arrow_table(entity, cols) for entity, cols in columns.items()}


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
