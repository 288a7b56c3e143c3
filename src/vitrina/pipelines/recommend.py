"""The recommendation job: an interval's click windows + the order history -> the serving set.

The stream job's output topic (``kafka.output_topic``) holds one record per product and final
window. For a data interval ``[start, end)`` this job takes the windows that closed in it
(``start < window_end <= end``), keeps the latest of them (the latest closed 5-minute window),
and scores every product: ``click_weight x its clicks there + units_weight x units ordered``
before ``end`` (the warehouse's order history). The top ``scoring.top_n`` and the per-user
recommendations (:mod:`vitrina.serve.recommend`, from the clicks and orders before ``end``)
are swapped into the serving store as one new version.

Everything read is cut at ``end``, so re-running an interval gives the same set (and the
store, seeing the same content hash, changes nothing). An interval with no closed window
keeps the previous set.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa

from vitrina.config import Settings
from vitrina.pipelines.interval import Interval
from vitrina.redact import mask_url
from vitrina.serve.model import PublishOutcome
from vitrina.timeutil import format_ts_ms

__all__ = ["RecommendReport", "latest_window", "read_windows", "run", "score_top"]

log = logging.getLogger(__name__)

_SQL_DIR = Path(__file__).parent / "sql"
CLEAN_SCHEMA = "clean"
# The recommendation rule's parameters (as publish uses them).
TOP_CATEGORIES = 3
RECS_PER_USER = 10

WINDOWS_SCHEMA = pa.schema(
    [
        ("product_id", pa.int64()),
        ("window_start_ms", pa.int64()),
        ("window_end_ms", pa.int64()),
        ("clicks", pa.int64()),
    ]
)


@dataclass
class RecommendReport:
    """What one run read and what the serving store did with it."""

    interval: Interval
    serving_url: str
    windows: int = 0
    latest_window_end_ms: int | None = None
    serving: PublishOutcome | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.serving.status if self.serving else "kept"

    def rows(self) -> list[tuple[str, str]]:
        latest = self.latest_window_end_ms
        out = [
            ("interval", str(self.interval)),
            ("click windows closed in it", str(self.windows)),
            ("latest window end", format_ts_ms(latest) if latest is not None else "-"),
            ("serving store", mask_url(self.serving_url)),
        ]
        if self.serving is None:
            out.append(("serving version", "previous set kept (no closed window)"))
            return out
        out += [
            ("serving version", f"{self.serving.version or '-'} ({self.serving.status})"),
            ("top products", str(self.serving.top_count)),
            ("users with recommendations", str(self.serving.recs_users)),
            ("recommendations", str(self.serving.recs_rows)),
        ]
        return out


def _sql(name: str, **subst: str) -> str:
    text = (_SQL_DIR / f"{name}.sql").read_text()
    for key, value in subst.items():
        text = text.replace("{" + key + "}", value)
    return text


def parse_windows(payloads: list[bytes]) -> pa.Table:
    """Window records (JSON lines) as :data:`WINDOWS_SCHEMA`, one row per product and window."""
    body = b"".join(p if p.endswith(b"\n") else p + b"\n" for p in payloads if p.strip())
    if not body:
        return WINDOWS_SCHEMA.empty_table()
    frame = pl.read_ndjson(
        body,
        schema={
            "product_id": pl.Int64,
            "window_start": pl.String,
            "window_end": pl.String,
            "clicks": pl.Int64,
        },
    )
    instant = "%Y-%m-%dT%H:%M:%S%.fZ"
    frame = frame.select(
        pl.col("product_id"),
        pl.col("window_start").str.to_datetime(instant, time_zone="UTC").dt.epoch("ms"),
        pl.col("window_end").str.to_datetime(instant, time_zone="UTC").dt.epoch("ms"),
        pl.col("clicks"),
    ).rename({"window_start": "window_start_ms", "window_end": "window_end_ms"})
    # Exactly-once output has one record per window; a replayed topic must not count twice.
    frame = frame.unique(["product_id", "window_start_ms", "window_end_ms"], keep="last")
    return frame.to_arrow().cast(WINDOWS_SCHEMA)


def read_windows(settings: Settings, interval: Interval) -> pa.Table:
    """The windows that closed in ``interval`` (``start < window_end <= end``), from the log."""
    from vitrina.eventlog import open_eventlog

    # File slices are named by window start: look back one window and one slice further.
    look_back = settings.stream.size_ms + settings.simulate.slice_ms
    with open_eventlog(settings.backend("eventlog")) as eventlog:
        consumed = eventlog.consume(
            settings.kafka.output_topic,
            consumer="recommend",
            start_ms=interval.start_ms - look_back,
            end_ms=interval.end_ms,
        )
    windows = parse_windows([c.payload for c in consumed.chunks])
    frame = pl.from_arrow(windows)
    assert isinstance(frame, pl.DataFrame)
    frame = frame.filter(
        (pl.col("window_end_ms") > interval.start_ms) & (pl.col("window_end_ms") <= interval.end_ms)
    )
    return frame.to_arrow().cast(WINDOWS_SCHEMA)


def latest_window(windows: pa.Table) -> tuple[int | None, pa.Table]:
    """The end of the latest window and each product's clicks in it (product_id, clicks)."""
    if windows.num_rows == 0:
        return None, pa.table(
            {"product_id": pa.array([], pa.int64()), "clicks": pa.array([], pa.int64())}
        )
    frame = pl.from_arrow(windows)
    assert isinstance(frame, pl.DataFrame)
    end = int(frame["window_end_ms"].max())  # type: ignore[arg-type]
    latest = (
        frame.filter(pl.col("window_end_ms") == end)
        .group_by("product_id")
        .agg(pl.col("clicks").sum())
        .sort("product_id")
    )
    return end, latest.to_arrow()


def score_top(
    products: pa.Table,
    window_clicks: pa.Table,
    *,
    click_weight: float,
    units_weight: float,
    top_n: int,
) -> pa.Table:
    """The top products (TOP_SCHEMA columns) from products(product_id, units_ordered) and clicks."""
    con = duckdb.connect()
    try:
        con.register("products", products)
        con.register("latest_window", window_clicks)
        params = {
            "click_weight": float(click_weight),
            "units_weight": float(units_weight),
            "top_n": int(top_n),
        }
        return con.sql(_sql("rec_top_products"), params=params).to_arrow_table()
    finally:
        con.close()


def run(settings: Settings, interval: Interval | None = None) -> RecommendReport:
    """Score the interval's latest closed window with the order history; publish to serving.

    Without an interval, the last ``recommend`` period up to now (10 minutes).
    """
    from vitrina.serve import open_serving
    from vitrina.serve.recommend import recommend
    from vitrina.timeutil import utc_now_ms
    from vitrina.warehouse import open_warehouse

    if interval is None:
        now = utc_now_ms() // 60_000 * 60_000
        interval = Interval(now - 600_000, now)
    report = RecommendReport(interval, settings.backend("serving"))
    windows = read_windows(settings, interval)
    report.windows = windows.num_rows
    end_ms, window_clicks = latest_window(windows)
    report.latest_window_end_ms = end_ms
    if end_ms is None:
        log.warning("recommend: no click window closed in %s; the serving set stays", interval)
        return report
    end = format_ts_ms(interval.end_ms)
    with open_warehouse(settings.backend("warehouse")) as wh:
        products = wh.query_arrow(_sql("rec_products", clean=CLEAN_SCHEMA, end=end))
        purchases = wh.query_arrow(_sql("rec_purchases", clean=CLEAN_SCHEMA, end=end))
        user_clicks = wh.query_arrow(_sql("rec_user_category_clicks", clean=CLEAN_SCHEMA, end=end))
    scoring = settings.scoring
    top = score_top(
        products,
        window_clicks,
        click_weight=scoring.click_weight,
        units_weight=scoring.units_weight,
        top_n=scoring.top_n,
    )
    popularity = _join_clicks(products, window_clicks)
    recs = recommend(
        user_clicks,
        purchases,
        popularity,
        top_categories=TOP_CATEGORIES,
        per_user=RECS_PER_USER,
        click_weight=scoring.click_weight,
        units_weight=scoring.units_weight,
    )
    with open_serving(settings.backend("serving")) as serving:
        report.serving = serving.publish(top, recs)
    return report


def _join_clicks(products: pa.Table, window_clicks: pa.Table) -> pa.Table:
    """product_popularity for the rule: each product's clicks in the latest window and units."""
    joined = products.join(window_clicks, keys="product_id", join_type="left outer")
    clicks = joined.column("clicks").fill_null(0)
    return pa.table(
        {
            "product_id": joined.column("product_id"),
            "category_id": joined.column("category_id"),
            "clicks": clicks,
            "units_ordered": joined.column("units_ordered"),
        }
    ).sort_by("product_id")
