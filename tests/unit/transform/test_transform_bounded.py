"""dbt on DuckDB under a memory limit far below its data builds what an unlimited run builds."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.digests import table_digests
from vitrina.config import Settings, load_settings
from vitrina.ingest.load import ensure_tables
from vitrina.warehouse import open_warehouse
from vitrina.warehouse.transform import run_transform

CLICKS = 1_200_000
LIMIT_MB = 48
# The click models and the marts over them; the other sources stay empty.
SELECT = "+popular_products +fct_clicks"
BUILT = ("marts.popular_products",)

_FILL = f"""
insert into clean.clicks
select
    md5(i::varchar) as event_id,
    i % 40000 as user_id,
    md5((i // 7)::varchar) as session_id,
    i % 5000 as product_id,
    ['view', 'click', 'add_to_cart', 'purchase'][1 + (i * 7919) % 4] as event_type,
    timestamp '2026-01-01' + to_milliseconds((i * 104729) % 86400000) as ts,
    ['web', 'ios', 'android'][1 + i % 3] as device,
    'clicks/' || (i // 100000)::varchar || '.jsonl' as arrival_file,
    i % 100000 as arrival_line
from range({CLICKS}) as t(i)
"""


def _settings(data_dir: Path, url: str) -> Settings:
    return load_settings(
        data_dir=data_dir, environ={}, cwd=data_dir, overrides={"backends": {"warehouse": url}}
    )


def _clicks_digest(settings: Settings) -> tuple[int, int]:
    wh = open_warehouse(settings.backend("warehouse"))
    try:
        row = wh.query_arrow(
            "select count(*) as n, sum(hash(event_id, user_id, event_at)) as h from marts.fct_clicks"
        ).to_pylist()[0]
    finally:
        wh.close()
    return int(row["n"]), int(row["h"])


def test_transform_under_a_memory_limit_below_its_data_equals_the_unlimited_run(
    tmp_path: Path,
) -> None:
    wide = tmp_path / "unlimited" / "warehouse.duckdb"
    wide.parent.mkdir()
    wh = open_warehouse(f"duckdb://{wide}")
    try:
        ensure_tables(wh)
        wh.execute(_FILL)
        data_mb = wh.query_arrow(
            "select sum(length(event_id) + length(session_id) + length(event_type) + length(device)"
            " + length(arrival_file) + 8 * 5) / 1e6 as mb from clean.clicks"
        ).to_pylist()[0]["mb"]
    finally:
        wh.close()
    assert data_mb > 3 * LIMIT_MB  # the clicks alone are several times the limit
    narrow = tmp_path / "limited" / "warehouse.duckdb"
    narrow.parent.mkdir()
    shutil.copy(wide, narrow)

    unlimited = _settings(wide.parent, f"duckdb://{wide}")
    spill = tmp_path / "spill"
    limited = _settings(
        narrow.parent,
        f"duckdb://{narrow}?memory_limit={LIMIT_MB}MB&threads=1&temp_directory={spill}",
    )
    for settings in (unlimited, limited):
        report = run_transform(settings, select=SELECT)
        assert report.tests_failed == 0 and report.models >= 3

    assert table_digests(limited, BUILT) == table_digests(unlimited, BUILT)
    assert _clicks_digest(limited) == _clicks_digest(unlimited)
    assert _clicks_digest(limited)[0] == CLICKS
