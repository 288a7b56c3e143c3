"""SQL over the current serving set: its tables loaded into an in-memory DuckDB.

Tables: ``top_products(rank, product_id, score, clicks_5m, units_ordered)``,
``recommendations(user_id, rank, product_id, score)`` and ``serving_version(version)``;
all empty before the first publish.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from vitrina.errors import BackendError
from vitrina.serve.model import RECS_SCHEMA, TOP_SCHEMA, ServingSet

__all__ = ["query_serving"]


def query_serving(snap: ServingSet | None, sql: str) -> pa.Table:
    """Run ``sql`` over one consistent snapshot (``store.snapshot()``) of the serving set."""
    top = snap.top if snap is not None else TOP_SCHEMA.empty_table()
    recs = snap.recs if snap is not None else RECS_SCHEMA.empty_table()
    version = pa.table({"version": pa.array([] if snap is None else [snap.version], pa.string())})
    con = duckdb.connect()
    try:
        con.register("top_products", top)
        con.register("recommendations", recs)
        con.register("serving_version", version)
        return con.sql(sql).to_arrow_table()
    except duckdb.Error as exc:
        raise BackendError(f"serving query failed: {exc}") from exc
    finally:
        con.close()
