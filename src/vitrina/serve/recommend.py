"""The recommendation rule, a pure function of three Arrow tables (run in in-memory DuckDB).

For each user: take the ``top_categories`` categories they clicked most (ties: lower
category_id first); candidates are the products of those categories the user never
ordered; score = user's clicks in the product's category x product popularity, where
popularity = click_weight x the product's clicks + units_weight x its units ordered (all
history); keep the ``per_user`` best (ties: lower product_id first). A user without clicks
gets no recommendations.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from vitrina.serve.model import RECS_SCHEMA

__all__ = [
    "PRODUCT_POPULARITY",
    "PURCHASES",
    "USER_CATEGORY_CLICKS",
    "recommend",
]

_SQL = (Path(__file__).parent / "sql" / "recommend.sql").read_text()

USER_CATEGORY_CLICKS = pa.schema(
    [("user_id", pa.int64()), ("category_id", pa.int64()), ("clicks", pa.int64())]
)
PURCHASES = pa.schema([("user_id", pa.int64()), ("product_id", pa.int64())])
PRODUCT_POPULARITY = pa.schema(
    [
        ("product_id", pa.int64()),
        ("category_id", pa.int64()),
        ("clicks", pa.int64()),
        ("units_ordered", pa.int64()),
    ]
)


def recommend(
    user_category_clicks: pa.Table,
    purchases: pa.Table,
    product_popularity: pa.Table,
    *,
    top_categories: int = 3,
    per_user: int = 10,
    click_weight: float = 0.7,
    units_weight: float = 0.3,
) -> pa.Table:
    """Recommendations typed to :data:`RECS_SCHEMA`, ordered by user_id then rank."""
    con = duckdb.connect()
    try:
        con.register(
            "user_category_clicks",
            user_category_clicks.select(USER_CATEGORY_CLICKS.names).cast(USER_CATEGORY_CLICKS),
        )
        con.register("purchases", purchases.select(PURCHASES.names).cast(PURCHASES))
        con.register(
            "product_popularity",
            product_popularity.select(PRODUCT_POPULARITY.names).cast(PRODUCT_POPULARITY),
        )
        params = {
            "top_categories": int(top_categories),
            "per_user": int(per_user),
            "click_weight": float(click_weight),
            "units_weight": float(units_weight),
        }
        result = con.sql(_SQL, params=params).to_arrow_table()
    finally:
        con.close()
    return result.cast(RECS_SCHEMA)
