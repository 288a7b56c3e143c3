"""Publish: dbt marts from the warehouse into the marts store, and the serving set.

Every mart is read through one warehouse SQL file (columns pinned and cast), product-keyed
marts are denormalised with the product's name and category path, and each lands in a
MergeTree table (DDL in ``sql/ch_<mart>.sql``) replaced atomically. An empty mart never
replaces a non-empty one. The serving set is the top products mart plus per-user
recommendations (:mod:`vitrina.serve.recommend`), published as a new version.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from vitrina.config import Settings, mask_secrets
from vitrina.errors import PipelineError
from vitrina.marts.store import MartsStore, open_marts
from vitrina.serve import PublishOutcome, open_serving
from vitrina.serve.recommend import recommend

if TYPE_CHECKING:
    from vitrina.warehouse import Warehouse

__all__ = ["MARTS", "MartResult", "PublishReport", "WarehouseInputs", "run_publish"]

logger = logging.getLogger(__name__)

_SQL_DIR = Path(__file__).parent / "sql"
CLEAN_SCHEMA = "clean"
MARTS = (
    "popular_products",
    "orders_facts",
    "top_products",
    "mart_user_activity",
    "mart_product_rating",
    "mart_user_loyalty_points",
    "mart_average_check",
)
# The stream job's table of final windows (written by vitrina.stream, read here).
STREAM_TABLE = "product_clicks"
# Marts keyed by product that get the product's name and category path alongside.
_PRODUCT_KEYED = ("popular_products", "orders_facts", "top_products", "mart_product_rating")
# Recommendation rule parameters (see vitrina.serve.recommend).
TOP_CATEGORIES = 3
RECS_PER_USER = 10


def _sql(name: str, **subst: str) -> str:
    text = (_SQL_DIR / f"{name}.sql").read_text()
    for key, value in subst.items():
        text = text.replace("{" + key + "}", value)
    return text


@dataclass(frozen=True)
class MartResult:
    name: str
    rows: int
    status: str  # replaced | kept (empty input, previous content stays)


@dataclass(frozen=True)
class WarehouseInputs:
    """Everything publish reads from the warehouse, read in one short session."""

    marts: dict[str, pa.Table]
    products: pa.Table
    user_category_clicks: pa.Table
    purchases: pa.Table
    product_popularity: pa.Table


@dataclass(frozen=True)
class PublishReport:
    marts_url: str
    serving_url: str
    marts: tuple[MartResult, ...]
    serving: PublishOutcome

    def rows(self) -> list[tuple[str, str]]:
        out = [("marts store", mask_secrets(self.marts_url))]
        out += [(f"mart {m.name}", f"{m.rows} rows ({m.status})") for m in self.marts]
        out += [
            ("serving store", mask_secrets(self.serving_url)),
            ("serving version", f"{self.serving.version or '-'} ({self.serving.status})"),
            ("top products", str(self.serving.top_count)),
            ("users with recommendations", str(self.serving.recs_users)),
            ("recommendations", str(self.serving.recs_rows)),
        ]
        return out


def _marts_schema(wh: Warehouse) -> str:
    names = ", ".join(f"'{m}'" for m in MARTS)
    found = wh.query_arrow(_sql("wh_find_marts", names=names)).to_pylist()
    by_schema: dict[str, set[str]] = {}
    for row in found:
        by_schema.setdefault(str(row["table_schema"]), set()).add(str(row["table_name"]))
    complete = sorted(s for s, tables in by_schema.items() if tables >= set(MARTS))
    if not complete:
        have = {t for tables in by_schema.values() for t in tables}
        missing = ", ".join(m for m in MARTS if m not in have) or "none"
        raise PipelineError(
            f"the warehouse has no schema with every mart (missing: {missing}); "
            "run `vitrina transform` first"
        )
    # dbt-duckdb names a custom schema <target>_<name>; prefer a plain `marts` when present.
    return "marts" if "marts" in complete else complete[-1]


def read_warehouse(url: str) -> WarehouseInputs:
    """Read the marts and the recommendation inputs (the DuckDB file is held only briefly)."""
    from vitrina.warehouse import open_warehouse

    with open_warehouse(url) as wh:
        schema = _marts_schema(wh)
        marts = {m: wh.query_arrow(_sql(f"wh_{m}", marts=schema)) for m in MARTS}
        dim = wh.query_arrow(_sql("wh_products_dim", clean=CLEAN_SCHEMA))
        clicks = wh.query_arrow(_sql("wh_recs_user_category_clicks", clean=CLEAN_SCHEMA))
        purchases = wh.query_arrow(_sql("wh_recs_purchases", clean=CLEAN_SCHEMA))
        popularity = wh.query_arrow(_sql("wh_recs_product_popularity", clean=CLEAN_SCHEMA))
    dim = dim.cast(_DIM_SCHEMA)
    for name in _PRODUCT_KEYED:
        marts[name] = _denormalise(marts[name], dim)
    return WarehouseInputs(marts, dim, clicks, purchases, popularity)


_DIM_SCHEMA = pa.schema(
    [
        ("product_id", pa.int64()),
        ("product_name", pa.string()),
        ("category_id", pa.int64()),
        ("category_name", pa.string()),
        ("parent_category_name", pa.string()),
    ]
)


def _denormalise(mart: pa.Table, dim: pa.Table) -> pa.Table:
    if mart.num_rows == 0:
        empty = {f.name: pa.array([], f.type) for f in dim.schema if f.name != "product_id"}
        return pa.table({**{c: mart.column(c) for c in mart.column_names}, **empty})
    joined = mart.join(dim, keys="product_id", join_type="left outer")
    return joined.select([*mart.column_names, *(c for c in dim.column_names if c != "product_id")])


def _kept(store: MartsStore, name: str, new_rows: int) -> MartResult | None:
    """A result saying ``name`` keeps its content, when the new content is empty and it is not."""
    if new_rows == 0 and store.exists(name):
        old_rows = store.row_count(name)
        if old_rows > 0:
            logger.warning("publish: %s came out empty; keeping the previous content", name)
            return MartResult(name, old_rows, "kept")
    return None


def publish_marts(
    url: str, marts: dict[str, pa.Table], products: pa.Table | None = None
) -> tuple[MartResult, ...]:
    """Replace each mart table atomically; an empty input keeps a non-empty table.

    With ``products`` (the product dimension) the store also gets ``dim_products`` and, when
    the stream job has written ``product_clicks``, ``product_click_windows``: its windows
    joined with the product's name and category path.
    """
    results: list[MartResult] = []
    with open_marts(url) as store:
        for name in MARTS:
            table = marts[name]
            kept = _kept(store, name, table.num_rows)
            if kept is None:
                rows = store.replace_table(name, table, _sql(f"ch_{name}"))
                kept = MartResult(name, rows, "replaced")
            results.append(kept)
        if products is not None:
            kept = _kept(store, "dim_products", products.num_rows)
            if kept is None:
                rows = store.replace_table("dim_products", products, _sql("ch_dim_products"))
                kept = MartResult("dim_products", rows, "replaced")
            results.append(kept)
            if store.exists(STREAM_TABLE):
                results.append(_publish_click_windows(store))
    return tuple(results)


def _publish_click_windows(store: MartsStore) -> MartResult:
    name = "product_click_windows"
    kept = _kept(store, name, store.row_count(STREAM_TABLE))
    if kept is not None:
        return kept
    rows = store.replace_table_as(
        name, _sql("ch_product_click_windows_select"), _sql("ch_product_click_windows")
    )
    return MartResult(name, rows, "replaced")


def run_publish(settings: Settings) -> PublishReport:
    """Publish marts and serving data from the profile's warehouse."""
    inputs = read_warehouse(settings.backend("warehouse"))
    marts = publish_marts(settings.backend("marts"), inputs.marts, inputs.products)
    recs = recommend(
        inputs.user_category_clicks,
        inputs.purchases,
        inputs.product_popularity,
        top_categories=TOP_CATEGORIES,
        per_user=RECS_PER_USER,
        click_weight=settings.scoring.click_weight,
        units_weight=settings.scoring.units_weight,
    )
    top = (
        inputs.marts["top_products"]
        .sort_by([("rank", "ascending"), ("product_id", "ascending")])
        .slice(0, settings.scoring.top_n)
    )
    with open_serving(settings.backend("serving")) as serving:
        outcome = serving.publish(top, recs)
    return PublishReport(
        marts_url=settings.backend("marts"),
        serving_url=settings.backend("serving"),
        marts=marts,
        serving=outcome,
    )
