"""Publish: the dbt marts marked ``publish: true`` into the marts store, and the serving set.

Which marts, their columns and types, sorting key and engine come from the dbt manifest of the
last ``vitrina transform`` (:mod:`vitrina.marts.catalog`). Each mart is read from the warehouse
with its columns cast to their declared types, joined there with the dimensions its meta names
(``product``: name and category path), and copied in record batches of :data:`BATCH_ROWS` rows
(never the whole mart in memory) into a staging table created from the Arrow schema of those
rows, then swapped in atomically. An empty mart never replaces a non-empty one. The serving set
is the top products mart plus per-user recommendations (:mod:`vitrina.serve.recommend`),
published as a new version. Publish refuses marts older than the warehouse they come from.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from vitrina.config import Settings, mask_secrets
from vitrina.errors import PipelineError
from vitrina.marts.catalog import MartSpec, published_marts
from vitrina.marts.ddl import create_table_sql
from vitrina.marts.store import INSERT_BATCH_ROWS, MartsStore, open_marts
from vitrina.serve import PublishOutcome, open_serving
from vitrina.serve.recommend import recommend
from vitrina.stepstatus import read_status
from vitrina.warehouse import Warehouse, open_warehouse
from vitrina.warehouse.base import quote_ident
from vitrina.warehouse.transform import TAGGED_DOMAINS, mart_domains

__all__ = [
    "DIMENSIONS",
    "Dimension",
    "MartResult",
    "PublishReport",
    "check_fresh",
    "run_publish",
]

logger = logging.getLogger(__name__)

_SQL_DIR = Path(__file__).parent / "sql"
CLEAN_SCHEMA = "clean"
# The stream job's table of final windows (written by vitrina.stream, read here).
STREAM_TABLE = "product_clicks"
# The mart the serving set's top products come from.
TOP_MART = "top_products"
# Rows per batch copied from the warehouse to the marts store: what publish holds of a mart.
BATCH_ROWS = INSERT_BATCH_ROWS
# Recommendation rule parameters (see vitrina.serve.recommend).
TOP_CATEGORIES = 3
RECS_PER_USER = 10


def _sql(name: str, **subst: str) -> str:
    text = (_SQL_DIR / f"{name}.sql").read_text()
    for key, value in subst.items():
        text = text.replace("{" + key + "}", value)
    return text


@dataclass(frozen=True)
class Dimension:
    """A dimension marts may be denormalised with (``meta.denormalise``), also published whole."""

    table: str  # its marts-store table
    key: str
    sql: str  # the warehouse query (under sql/) giving one row per key
    schema: pa.Schema


DIMENSIONS = {
    "product": Dimension(
        table="dim_products",
        key="product_id",
        sql="wh_products_dim",
        schema=pa.schema(
            [
                pa.field("product_id", pa.int64(), nullable=False),
                ("product_name", pa.string()),
                ("category_id", pa.int64()),
                ("category_name", pa.string()),
                ("parent_category_name", pa.string()),
            ]
        ),
    ),
}


@dataclass(frozen=True)
class MartResult:
    name: str
    rows: int
    status: str  # replaced | kept (empty input, previous content stays)


@dataclass(frozen=True)
class PublishReport:
    marts_url: str
    serving_url: str
    marts: tuple[MartResult, ...]
    serving: PublishOutcome | None  # None: no shop data, nothing to serve

    def rows(self) -> list[tuple[str, str]]:
        out = [("marts store", mask_secrets(self.marts_url))]
        out += [(f"mart {m.name}", f"{m.rows} rows ({m.status})") for m in self.marts]
        if self.serving is None:
            return [*out, ("serving store", "skipped (no shop data)")]
        out += [
            ("serving store", mask_secrets(self.serving_url)),
            ("serving version", f"{self.serving.version or '-'} ({self.serving.status})"),
            ("top products", str(self.serving.top_count)),
            ("users with recommendations", str(self.serving.recs_users)),
            ("recommendations", str(self.serving.recs_rows)),
        ]
        return out


def _at(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_fresh(data_dir: Path) -> None:
    """Refuse (PipelineError) when the marts may be stale: the last transform failed, was
    interrupted, or started before the last ingest finished."""
    transform = read_status(data_dir, "transform")
    ingest = read_status(data_dir, "ingest")
    if transform is not None and not transform.ok:
        how = "was interrupted" if transform.status == "running" else "failed"
        raise PipelineError(
            f"the last transform ({_at(transform.started_at_ms)}) {how}: the marts are stale; "
            "fix it and run `vitrina transform` before publishing"
        )
    if ingest is not None and (
        transform is None or transform.started_at_ms < ingest.last_change_ms
    ):
        since = "never ran" if transform is None else f"last ran {_at(transform.started_at_ms)}"
        raise PipelineError(
            f"the warehouse changed since the last transform (ingest {_at(ingest.last_change_ms)}, "
            f"transform {since}): run `vitrina transform` before publishing"
        )


def _check_present(wh: Warehouse, specs: tuple[MartSpec, ...]) -> None:
    names = ", ".join(f"'{s.relation}'" for s in specs)
    found = wh.query_arrow(_sql("wh_find_marts", names=names)).to_pylist()
    have = {(str(r["table_schema"]), str(r["table_name"])) for r in found}
    missing = [s.name for s in specs if (s.schema, s.relation) not in have]
    if missing:
        raise PipelineError(
            f"the warehouse lacks published marts (missing: {', '.join(missing)}); "
            "run `vitrina transform` first"
        )


def _select(spec: MartSpec) -> str:
    columns = ", ".join(
        f"cast({quote_ident(c.name)} as {c.data_type}) as {quote_ident(c.name)}"
        for c in spec.columns
    )
    return f"select {columns} from {quote_ident(spec.schema)}.{quote_ident(spec.relation)}"


def _denormalised_select(spec: MartSpec) -> str:
    """The mart's rows with the columns of the dimensions its meta names, joined in the warehouse."""
    ctes = [f"mart as ({_select(spec)})"]
    columns = ["mart.*"]
    joins = []
    for d in spec.denormalise:
        dim, alias = DIMENSIONS[d], f"dim_{d}"
        ctes.append(f"{alias} as (\n{_sql(dim.sql, clean=CLEAN_SCHEMA)}\n)")
        columns += [f"{alias}.{quote_ident(f.name)}" for f in dim.schema if f.name != dim.key]
        key = quote_ident(dim.key)
        joins.append(f"left join {alias} on {alias}.{key} = mart.{key}")
    return f"with {', '.join(ctes)}\nselect {', '.join(columns)} from mart {' '.join(joins)}"


@dataclass(frozen=True)
class _Source:
    """One marts-store table's content as the warehouse gives it."""

    name: str
    sql: str
    count_sql: str
    # The published schema from the schema of the warehouse's result (types kept, nullability
    # set as declared).
    schema: Callable[[pa.Schema], pa.Schema]
    order_by: tuple[str, ...]
    engine: str


def _mart_source(spec: MartSpec) -> _Source:
    def schema(found: pa.Schema) -> pa.Schema:
        fields = [
            pa.field(c.name, found.field(c.name).type, nullable=c.nullable) for c in spec.columns
        ]
        # The join keeps values, not the declared nullability: dimension columns are nullable.
        for d in spec.denormalise:
            dim = DIMENSIONS[d]
            fields += [f.with_nullable(True) for f in dim.schema if f.name != dim.key]
        return pa.schema(fields)

    relation = f"{quote_ident(spec.schema)}.{quote_ident(spec.relation)}"
    return _Source(
        spec.name,
        _denormalised_select(spec),
        f"select count(*) as n from {relation}",
        schema,
        spec.order_by,
        spec.engine,
    )


def _dimension_source(dim: Dimension) -> _Source:
    sql = _sql(dim.sql, clean=CLEAN_SCHEMA)
    return _Source(
        dim.table,
        sql,
        f"select count(*) as n from (\n{sql}\n) as dimension",
        lambda _found: dim.schema,
        (dim.key,),
        "MergeTree",
    )


def _conformed(
    reader: pa.RecordBatchReader, schema: pa.Schema, what: str
) -> Iterator[pa.RecordBatch]:
    """Each batch under ``schema`` (types cast, nullability set); NULLs in a non-null column fail."""
    for batch in reader:
        for f in schema:
            if not f.nullable and batch.column(f.name).null_count:
                raise PipelineError(f"{what}.{f.name} has NULLs but is declared not null")
        yield pa.RecordBatch.from_arrays(
            [batch.column(f.name).cast(f.type) for f in schema], schema=schema
        )


def _kept(store: MartsStore, name: str, new_rows: int) -> MartResult | None:
    """A result saying ``name`` keeps its content, when the new content is empty and it is not."""
    if new_rows == 0 and store.exists(name):
        old_rows = store.row_count(name)
        if old_rows > 0:
            logger.warning("publish: %s came out empty; keeping the previous content", name)
            return MartResult(name, old_rows, "kept")
    return None


def _copy(store: MartsStore, wh: Warehouse, source: _Source) -> MartResult:
    """Copy one table from the warehouse in batches into a staging table, then swap it in."""
    new_rows = int(wh.query_arrow(source.count_sql).column(0)[0].as_py())
    kept = _kept(store, source.name, new_rows)
    if kept is not None:
        return kept
    reader = wh.query_batches(source.sql, BATCH_ROWS)
    try:
        schema = source.schema(reader.schema)
        create = create_table_sql(schema, source.order_by, source.engine)
        rows = store.replace_batches(source.name, _conformed(reader, schema, source.name), create)
    finally:
        reader.close()
    return MartResult(source.name, rows, "replaced")


def _check_dimensions(specs: tuple[MartSpec, ...]) -> list[str]:
    """The dimensions to publish: those the marts name, and product always (the stream's
    windows are joined with dim_products in the store)."""
    wanted = {d for s in specs for d in s.denormalise}
    unknown = wanted - set(DIMENSIONS)
    if unknown:
        raise PipelineError(
            f"meta.denormalise names unknown dimensions {sorted(unknown)} "
            f"(known: {', '.join(sorted(DIMENSIONS))})"
        )
    shop = any(s.domain not in TAGGED_DOMAINS for s in specs)
    return sorted(wanted | ({"product"} if shop else set()))


def publish_marts(
    store: MartsStore, wh: Warehouse, specs: tuple[MartSpec, ...]
) -> tuple[MartResult, ...]:
    """Replace each mart table atomically (marts by name, then dimensions, then the stream's
    windows), copied in batches; an empty input keeps a non-empty table."""
    sources = [_mart_source(s) for s in specs]
    sources += [_dimension_source(DIMENSIONS[d]) for d in _check_dimensions(specs)]
    results = [_copy(store, wh, source) for source in sources]
    if store.exists(STREAM_TABLE):
        results.append(_publish_click_windows(store))
    return tuple(results)


def _publish_click_windows(store: MartsStore) -> MartResult:
    """The stream's final windows with the product's name and category path (built in the store)."""
    name = "product_click_windows"
    kept = _kept(store, name, store.row_count(STREAM_TABLE))
    if kept is not None:
        return kept
    rows = store.replace_table_as(
        name, _sql("ch_product_click_windows_select"), _sql("ch_product_click_windows")
    )
    return MartResult(name, rows, "replaced")


def run_publish(settings: Settings, *, serving: bool = True) -> PublishReport:
    """Publish marts and, unless ``serving`` is false, serving data from the profile's warehouse."""
    check_fresh(settings.data_dir)
    specs = published_marts(settings)
    with open_warehouse(settings.backend("warehouse")) as wh:
        # A domain without data has no marts built: skip them rather than fail.
        built = mart_domains(wh)
        specs = tuple(s for s in specs if s.domain in built)
        _check_present(wh, specs)
        with open_marts(settings.backend("marts")) as store:
            marts = publish_marts(store, wh, specs)
        if not serving or "shop" not in built:
            return PublishReport(
                marts_url=settings.backend("marts"),
                serving_url=settings.backend("serving"),
                marts=marts,
                serving=None,
            )
        if TOP_MART not in {s.name for s in specs}:
            raise PipelineError(f"the dbt manifest publishes no {TOP_MART} mart (serving needs it)")
        top_spec = next(s for s in specs if s.name == TOP_MART)
        # The serving set's inputs: per-user and per-product aggregates, not event rows.
        top = wh.query_arrow(_select(top_spec))
        clicks = wh.query_arrow(_sql("wh_recs_user_category_clicks", clean=CLEAN_SCHEMA))
        purchases = wh.query_arrow(_sql("wh_recs_purchases", clean=CLEAN_SCHEMA))
        popularity = wh.query_arrow(_sql("wh_recs_product_popularity", clean=CLEAN_SCHEMA))
    recs = recommend(
        clicks,
        purchases,
        popularity,
        top_categories=TOP_CATEGORIES,
        per_user=RECS_PER_USER,
        click_weight=settings.scoring.click_weight,
        units_weight=settings.scoring.units_weight,
    )
    top = top.sort_by([("rank", "ascending"), ("product_id", "ascending")]).slice(
        0, settings.scoring.top_n
    )
    with open_serving(settings.backend("serving")) as serving_store:
        outcome = serving_store.publish(top, recs)
    return PublishReport(
        marts_url=settings.backend("marts"),
        serving_url=settings.backend("serving"),
        marts=marts,
        serving=outcome,
    )
