"""Publish: marts copied and denormalised, serving set written, idempotent, never wiped."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from tests.support.warehouse import EXPECTED_RECS, build_warehouse, install_manifest
from vitrina.config import Settings, load_settings
from vitrina.errors import PipelineError
from vitrina.marts import publish, published_marts
from vitrina.marts.publish import run_publish
from vitrina.marts.store import MartsStore, open_marts
from vitrina.serve import open_serving


@pytest.fixture
def settings(tmp_path: Path, marts_url: str, dbt_manifest: Path) -> Settings:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    install_manifest(dbt_manifest, tmp_path)
    return load_settings(
        data_dir=tmp_path,
        environ={},
        cwd=tmp_path,
        overrides={
            "backends": {
                "warehouse": warehouse,
                "marts": marts_url,
                "serving": f"file://{tmp_path}/serving",
            }
        },
    )


MARTS = (
    "mart_average_check",
    "mart_product_rating",
    "mart_user_activity",
    "mart_user_loyalty_points",
    "orders_facts",
    "popular_products",
    "top_products",
)


def _dump_marts(url: str) -> dict[str, list[dict[str, object]]]:
    with open_marts(url) as ms:
        names = [n for n in ms.tables() if n in {*MARTS, "dim_products", "product_click_windows"}]
        assert set(MARTS) <= set(names)
        return {m: ms.query_arrow(f"select * from {m} order by all").to_pylist() for m in names}


_STREAM_DDL = (
    "create table if not exists product_clicks (product_id Int64, "
    "window_start DateTime64(3, 'UTC'), window_end DateTime64(3, 'UTC'), clicks Int64, "
    "emitted_at DateTime64(3, 'UTC')) engine = ReplacingMergeTree(emitted_at) "
    "order by (product_id, window_start)"
)


def _stream_windows(url: str, rows: list[tuple[int, str, int, str]]) -> None:
    """What the stream job writes: final windows, a replayed one written twice."""
    with open_marts(url) as ms:
        ms.execute(_STREAM_DDL)
        for product_id, start, clicks, emitted in rows:
            ms.execute(
                "insert into product_clicks values "
                f"({product_id}, '{start}', addMinutes(toDateTime64('{start}', 3, 'UTC'), 5), "
                f"{clicks}, '{emitted}')"
            )


def test_publish_copies_every_mart_denormalised(settings: Settings) -> None:
    report = run_publish(settings)
    # Marts by name (as the manifest lists them), then the dimensions.
    assert [(m.name, m.rows, m.status) for m in report.marts] == [
        ("mart_average_check", 2, "replaced"),
        ("mart_product_rating", 5, "replaced"),
        ("mart_user_activity", 3, "replaced"),
        ("mart_user_loyalty_points", 3, "replaced"),
        ("orders_facts", 2, "replaced"),
        ("popular_products", 2, "replaced"),
        ("top_products", 4, "replaced"),
        ("dim_products", 5, "replaced"),
    ]
    with open_marts(settings.backend("marts")) as ms:
        top = ms.query_arrow("select * from top_products order by rank").to_pylist()
        facts = ms.query_arrow("select * from orders_facts order by product_id").to_pylist()
        users = ms.query_arrow("select * from mart_user_activity order by user_id").to_pylist()
    assert top[0] == {
        "rank": 1,
        "product_id": 20,
        "clicks_5m": 4,
        "units_ordered": 0,
        "score": 2.8,
        "product_name": "Book A",
        "category_id": 3,
        "category_name": "Books",
        "parent_category_name": None,
    }
    assert (top[1]["category_name"], top[1]["parent_category_name"]) == ("Phones", "Electronics")
    assert facts[0]["revenue"] == Decimal("400.00")
    assert facts[0]["avg_unit_price"] == Decimal("200.00")
    assert users[2]["status"] is None and users[2]["order_count"] == 0


def test_publish_writes_the_serving_set(settings: Settings) -> None:
    report = run_publish(settings)
    assert report.serving.status == "published"
    assert (report.serving.top_count, report.serving.recs_users) == (4, 2)
    with open_serving(settings.backend("serving")) as store:
        assert [t.product_id for t in store.top_products(10)] == [20, 10, 11, 21]
        for user_id, expected in EXPECTED_RECS.items():
            got = [(r.rank, r.product_id, r.score) for r in store.recommendations(user_id)]
            assert got == expected
        assert store.recommendations(3) == []
    labels = dict(report.rows())
    assert labels["top products"] == "4"
    assert labels["mart orders_facts"] == "2 rows (replaced)"


def test_marts_only_publish_leaves_serving_alone(settings: Settings) -> None:
    report = run_publish(settings, serving=False)
    assert report.serving is None
    assert [m.rows for m in report.marts] == [m.rows for m in run_publish(settings).marts]
    with open_serving(settings.backend("serving")) as store:
        version = store.current_version()
    run_publish(settings, serving=False)
    with open_serving(settings.backend("serving")) as store:
        assert store.current_version() == version
        assert [t.product_id for t in store.top_products(10)] == [20, 10, 11, 21]


def test_second_publish_leaves_everything_unchanged(settings: Settings) -> None:
    first = run_publish(settings)
    marts_before = _dump_marts(settings.backend("marts"))
    second = run_publish(settings)
    assert second.serving.status == "unchanged"
    assert second.serving.version == first.serving.version
    assert _dump_marts(settings.backend("marts")) == marts_before
    assert [m.rows for m in second.marts] == [m.rows for m in first.marts]


def test_publishing_in_small_batches_gives_the_same_marts(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = run_publish(settings)
    in_one = _dump_marts(settings.backend("marts"))
    # Two rows per batch: every mart of more than two rows goes over in several inserts.
    monkeypatch.setattr(publish, "BATCH_ROWS", 2)
    staged: list[int] = []
    original = MartsStore.insert_arrow

    def counting(self: MartsStore, table: str, rows: pa.Table) -> int:
        staged.append(rows.num_rows)
        return original(self, table, rows)

    monkeypatch.setattr(MartsStore, "insert_arrow", counting)
    batched = run_publish(settings)
    assert max(staged) == 2 and len(staged) > len(whole.marts)
    assert [(m.name, m.rows) for m in batched.marts] == [(m.name, m.rows) for m in whole.marts]
    assert _dump_marts(settings.backend("marts")) == in_one


def test_empty_warehouse_never_wipes(settings: Settings, tmp_path: Path) -> None:
    first = run_publish(settings)
    marts_before = _dump_marts(settings.backend("marts"))
    # The same warehouse, emptied: an empty interval upstream.
    build_warehouse(tmp_path / "warehouse.duckdb", with_data=False)
    second = run_publish(settings)
    assert {m.status for m in second.marts} == {"kept"}
    assert second.serving.status == "kept"
    assert second.serving.version == first.serving.version
    assert _dump_marts(settings.backend("marts")) == marts_before
    with open_serving(settings.backend("serving")) as store:
        assert len(store.top_products()) == 4


def test_changed_warehouse_publishes_a_new_version(settings: Settings, tmp_path: Path) -> None:
    first = run_publish(settings)
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("update marts.top_products set score = score + 1 where product_id = 21")
    con.execute("insert into clean.clicks values ('e8', 3, 's3', 11, 'click', now(), 'tablet')")
    con.close()
    second = run_publish(settings)
    assert second.serving.status == "published"
    assert second.serving.version != first.serving.version
    with open_serving(settings.backend("serving")) as store:
        assert store.top_products(10)[3].score == pytest.approx(1.3)
        # user 3 clicked a Phone: the phones they did not buy, by popularity.
        assert [r.product_id for r in store.recommendations(3)] == [10, 11, 12]


def test_stream_windows_are_denormalised_and_replays_count_once(settings: Settings) -> None:
    url = settings.backend("marts")
    _stream_windows(
        url,
        [
            (20, "2026-11-22 10:00:00", 4, "2026-11-22 10:06:00"),
            (10, "2026-11-22 10:00:00", 2, "2026-11-22 10:06:00"),
            (10, "2026-11-22 10:00:00", 2, "2026-11-22 10:07:00"),  # replayed: same window
            (99, "2026-11-22 10:01:00", 1, "2026-11-22 10:07:00"),  # unknown product
        ],
    )
    report = run_publish(settings)
    assert ("product_click_windows", 3, "replaced") in [
        (m.name, m.rows, m.status) for m in report.marts
    ]
    with open_marts(url) as ms:
        got = ms.query_arrow(
            "select product_id, toString(window_end) as window_end, clicks, product_name, "
            "category_name from product_click_windows order by product_id"
        ).to_pylist()
    assert got == [
        {
            "product_id": 10,
            "window_end": "2026-11-22 10:05:00.000",
            "clicks": 2,
            "product_name": "Phone A",
            "category_name": "Phones",
        },
        {
            "product_id": 20,
            "window_end": "2026-11-22 10:05:00.000",
            "clicks": 4,
            "product_name": "Book A",
            "category_name": "Books",
        },
        {
            "product_id": 99,
            "window_end": "2026-11-22 10:06:00.000",
            "clicks": 1,
            "product_name": None,
            "category_name": None,
        },
    ]
    before = _dump_marts(url)
    assert run_publish(settings).serving.status == "unchanged"
    assert _dump_marts(url) == before


def test_empty_stream_table_keeps_the_windows(settings: Settings) -> None:
    url = settings.backend("marts")
    _stream_windows(url, [(20, "2026-11-22 10:00:00", 4, "2026-11-22 10:06:00")])
    run_publish(settings)
    with open_marts(url) as ms:
        ms.execute("truncate table product_clicks")
    report = run_publish(settings)
    assert ("product_click_windows", 1, "kept") in [
        (m.name, m.rows, m.status) for m in report.marts
    ]


def test_the_manifest_lists_the_published_marts_with_their_meta(settings: Settings) -> None:
    specs = {s.name: s for s in published_marts(settings)}
    # The social marts are checked with their own data (test_social_marts.py).
    assert tuple(n for n, s in specs.items() if s.domain != "social") == MARTS
    facts = specs["orders_facts"]
    assert (facts.domain, facts.grain, facts.order_by, facts.engine, facts.denormalise) == (
        "shop",
        "one row per ordered product",
        ("product_id",),
        "MergeTree",
        ("product",),
    )
    assert [(c.name, c.data_type, c.nullable) for c in specs["mart_average_check"].columns] == [
        ("status", "varchar", True),
        ("loyalty_status", "varchar", True),
        ("average_check", "decimal(18, 2)", True),
        ("order_count", "bigint", False),
    ]


def test_store_tables_are_created_from_the_arrow_schema(settings: Settings) -> None:
    run_publish(settings)
    with open_marts(settings.backend("marts")) as ms:
        types = ms.query_arrow(
            "select name, type from system.columns where table = 'top_products' "
            f"and database = '{ms.database}' order by position"
        ).to_pylist()
        key = ms.query_arrow(
            "select sorting_key, engine from system.tables where name = 'mart_average_check' "
            f"and database = '{ms.database}'"
        ).to_pylist()
    assert [(t["name"], t["type"]) for t in types] == [
        ("rank", "Int64"),
        ("product_id", "Int64"),
        ("clicks_5m", "Int64"),
        ("units_ordered", "Int64"),
        ("score", "Float64"),
        ("product_name", "Nullable(String)"),
        ("category_id", "Nullable(Int64)"),
        ("category_name", "Nullable(String)"),
        ("parent_category_name", "Nullable(String)"),
    ]
    assert key == [{"sorting_key": "", "engine": "MergeTree"}]


def test_without_a_manifest_publish_says_to_transform(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "dbt" / "target" / "manifest.json").unlink()
    with pytest.raises(PipelineError, match="run `vitrina transform`"):
        run_publish(settings)


def test_missing_marts_is_a_pipeline_error(settings: Settings, tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("drop table marts.mart_average_check")
    con.close()
    with pytest.raises(PipelineError, match="mart_average_check"):
        run_publish(settings)


# Contract names users already query, kept although they predate the naming convention of
# docs/adding-a-mart.md. This list must not grow: a new mart is named <domain>_<subject>.
LEGACY_NAMES = frozenset(MARTS)


def test_published_marts_follow_the_naming_convention(dbt_manifest: Path) -> None:
    from vitrina.marts.catalog import load_marts

    specs = load_marts(dbt_manifest)
    assert {s.name for s in specs} >= LEGACY_NAMES
    for spec in specs:
        assert spec.name in LEGACY_NAMES or spec.name.startswith(f"{spec.domain}_"), spec.name
        assert spec.grain.startswith("one row per"), spec.name
