"""A tiny hand-made DuckDB warehouse (clean layer + dbt marts) with known answers."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest

SCHEMA_SQL = """
create schema if not exists clean;
create schema if not exists marts;
create or replace table clean.categories (
    category_id bigint, name varchar, parent_category_id bigint);
create or replace table clean.products (product_id bigint, name varchar, description varchar,
    category_id bigint, price decimal(12,2), stock_quantity bigint, creation_date timestamp);
create or replace table clean.orders (order_id bigint, user_id bigint, order_date timestamp,
    total_amount decimal(12,2), status varchar, delivery_date timestamp);
create or replace table clean.order_details (order_detail_id bigint, order_id bigint,
    product_id bigint, quantity bigint, price_per_unit decimal(12,2), total_price decimal(12,2));
create or replace table clean.clicks (event_id varchar, user_id bigint, session_id varchar,
    product_id bigint, event_type varchar, ts timestamp, device varchar);
create or replace table marts.popular_products (product_id bigint, clicks_1h bigint,
    clicks_24h bigint, rank_1h bigint, rank_24h bigint);
create or replace table marts.orders_facts (product_id bigint, order_count bigint,
    total_units bigint, revenue decimal(18,2), avg_unit_price decimal(18,4));
create or replace table marts.top_products ("rank" bigint, product_id bigint, clicks_5m bigint,
    units_ordered bigint, score double);
create or replace table marts.mart_user_activity (user_id bigint, first_name varchar,
    last_name varchar, status varchar, order_count bigint, total_spent decimal(18,2));
create or replace table marts.mart_product_rating (product_id bigint, name varchar,
    rating decimal(5,2), review_count bigint);
create or replace table marts.mart_user_loyalty_points (user_id bigint, first_name varchar,
    last_name varchar, loyalty_status varchar, total_loyalty_points bigint);
create or replace table marts.mart_average_check (status varchar, loyalty_status varchar,
    average_check decimal(18,2), order_count bigint);
"""

DATA_SQL = """
insert into clean.categories values (1, 'Electronics', null), (2, 'Phones', 1), (3, 'Books', null);
insert into clean.products values
    (10, 'Phone A', '', 2, 100.00, 5, '2026-01-01'),
    (11, 'Phone B', '', 2, 200.00, 5, '2026-01-01'),
    (12, 'Phone C', '', 2, 300.00, 5, '2026-01-01'),
    (20, 'Book A', '', 3, 10.00, 5, '2026-01-01'),
    (21, 'Book B', '', 3, 20.00, 5, '2026-01-01');
insert into clean.orders values
    (100, 1, '2026-11-01', 400.00, 'delivered', null),
    (101, 2, '2026-11-02', 20.00, 'pending', null);
insert into clean.order_details values (1000, 100, 11, 2, 200.00, 400.00),
    (1001, 101, 21, 1, 20.00, 20.00);
insert into clean.clicks values
    ('e1', 1, 's1', 10, 'click', '2026-11-22 10:00:00', 'mobile'),
    ('e2', 1, 's1', 10, 'click', '2026-11-22 10:00:01', 'mobile'),
    ('e3', 1, 's1', 20, 'click', '2026-11-22 10:00:02', 'mobile'),
    ('e4', 2, 's2', 20, 'click', '2026-11-22 10:00:03', 'desktop'),
    ('e5', 2, 's2', 20, 'click', '2026-11-22 10:00:04', 'desktop'),
    ('e6', 2, 's2', 20, 'click', '2026-11-22 10:00:05', 'desktop'),
    ('e7', 3, 's3', 12, 'view', '2026-11-22 10:00:06', 'tablet');
insert into marts.popular_products values (20, 4, 4, 1, 1), (10, 2, 2, 2, 2);
insert into marts.orders_facts values (11, 1, 2, 400.00, 200.0000), (21, 1, 1, 20.00, 20.0000);
insert into marts.top_products values (1, 20, 4, 0, 2.8), (2, 10, 2, 0, 1.4), (3, 11, 0, 2, 0.6),
    (4, 21, 0, 1, 0.3);
insert into marts.mart_user_activity values (1, 'Ann', 'Lee', 'delivered', 1, 400.00),
    (2, 'Bob', 'Kim', 'pending', 1, 20.00), (3, 'Cy', 'Orr', null, 0, 0.00);
insert into marts.mart_product_rating values (10, 'Phone A', 4.50, 2), (11, 'Phone B', null, 0),
    (12, 'Phone C', null, 0), (20, 'Book A', 3.00, 1), (21, 'Book B', null, 0);
insert into marts.mart_user_loyalty_points values (1, 'Ann', 'Lee', 'Gold', 120),
    (2, 'Bob', 'Kim', 'Silver', 0), (3, 'Cy', 'Orr', 'Bronze', 0);
insert into marts.mart_average_check values ('delivered', 'Gold', 400.00, 1),
    ('pending', 'Silver', 20.00, 1);
"""

# user 1 clicked Phones twice and Books once and bought product 11; user 2 clicked Books
# three times and bought 21; user 3 only viewed. popularity = 0.7 x clicks + 0.3 x units:
# 10 -> 1.4, 11 -> 0.6, 12 -> 0, 20 -> 2.8, 21 -> 0.3.
EXPECTED_RECS = {
    1: [(1, 10, 2.8), (2, 20, 2.8), (3, 21, 0.3), (4, 12, 0.0)],
    2: [(1, 20, 8.4)],
}


def build_warehouse(path: Path, *, with_data: bool = True) -> str:
    """Create (or reset) the warehouse file; returns its duckdb:// URL."""
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA_SQL)
        if with_data:
            con.execute(DATA_SQL)
    finally:
        con.close()
    return f"duckdb://{path}"


def parse_manifest(work: Path) -> Path:
    """dbt's manifest of the project (``dbt parse``, no warehouse needed); returns its path."""
    from dbt.cli.main import dbtRunner

    from vitrina.warehouse import dbt_target
    from vitrina.warehouse.transform import dbt_profile, project_dir

    project = project_dir()
    target = dbt_target(f"duckdb://{work}/parse.duckdb")
    profile, env = dbt_profile(target, threads=1)
    (work / "profile").mkdir(parents=True, exist_ok=True)
    (work / "profile" / "profiles.yml").write_text(json.dumps(profile))
    args = ["parse", "--project-dir", str(project), "--profiles-dir", str(work / "profile")]
    args += ["--target", target.name, "--target-path", str(work / "target")]
    args += ["--log-path", str(work / "logs"), "--quiet", "--no-send-anonymous-usage-stats"]
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        result = dbtRunner().invoke(args)
    assert result.success, result.exception
    return work / "target" / "manifest.json"


def install_manifest(manifest: Path, data_dir: Path) -> None:
    """Put ``manifest`` where ``vitrina transform`` leaves it for ``data_dir``."""
    target = data_dir / "dbt" / "target"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(manifest, target / "manifest.json")


def cached_manifest(config: pytest.Config) -> Path:
    """The project's manifest, parsed once per content of the dbt project (pytest's cache)."""
    from vitrina.warehouse.transform import project_dir

    digest = hashlib.sha256()
    project = project_dir()
    for path in sorted(project.rglob("*")):
        if path.suffix in (".yml", ".sql") and "target" not in path.parts:
            digest.update(str(path.relative_to(project)).encode() + path.read_bytes())
    name = f"dbt-manifest-{digest.hexdigest()[:16]}"
    # pytest's cache when it is on (-p no:cacheprovider turns it off): a temp folder then.
    cache = getattr(config, "cache", None)
    work = Path(cache.mkdir(name)) if cache else Path(tempfile.gettempdir()) / "vitrina" / name
    manifest = work / "target" / "manifest.json"
    return manifest if manifest.is_file() else parse_manifest(work)
