"""The recommend job on embedded engines: windows from the file event log, a DuckDB warehouse."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from vitrina.config import Settings, load_settings
from vitrina.eventlog import open_eventlog
from vitrina.pipelines import recommend
from vitrina.pipelines.interval import Interval
from vitrina.serve import open_serving
from vitrina.timeutil import format_ts_ms, parse_instant_ms

T0 = parse_instant_ms("2026-03-01T12:00:00Z")
MIN = 60_000


def _window(product_id: int, end_ms: int, clicks: int) -> dict[str, object]:
    return {
        "product_id": product_id,
        "window_start": format_ts_ms(end_ms - 5 * MIN),
        "window_end": format_ts_ms(end_ms),
        "clicks": clicks,
    }


def _write_windows(settings: Settings, windows: list[dict[str, object]]) -> None:
    body = "".join(json.dumps(w) + "\n" for w in windows).encode()
    with open_eventlog(settings.backend("eventlog")) as log:
        log.write_slice(settings.kafka.output_topic, T0 - T0 % settings.simulate.slice_ms, body)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = load_settings(data_dir=tmp_path, environ={})
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("create schema clean")
    con.execute("create table clean.products (product_id bigint, category_id bigint)")
    con.execute("insert into clean.products values (1, 10), (2, 10), (3, 20), (4, 20)")
    con.execute(
        "create table clean.orders (order_id bigint, user_id bigint, order_date timestamptz)"
    )
    con.execute(
        "insert into clean.orders values (100, 7, '2026-03-01 11:00:00+00'),"
        " (101, 8, '2026-03-01 13:00:00+00')"  # after every interval below: never counted
    )
    con.execute(
        "create table clean.order_details (order_id bigint, product_id bigint, quantity bigint)"
    )
    con.execute("insert into clean.order_details values (100, 4, 3), (101, 1, 50)")
    con.execute(
        "create table clean.clicks (user_id bigint, product_id bigint, event_type varchar,"
        " ts timestamptz)"
    )
    con.execute(
        "insert into clean.clicks values (7, 1, 'click', '2026-03-01 11:58:00+00'),"
        " (7, 2, 'click', '2026-03-01 11:59:00+00'), (9, 3, 'view', '2026-03-01 11:59:00+00')"
    )
    con.close()
    return s


def test_top_from_the_latest_closed_window_and_units_before_the_end(settings: Settings) -> None:
    _write_windows(
        settings,
        [
            _window(1, T0 + 4 * MIN, 9),  # an older window of the interval: not the latest
            _window(1, T0 + 5 * MIN, 2),
            _window(2, T0 + 5 * MIN, 1),
            _window(2, T0 + 5 * MIN, 1),  # a replayed record counts once
            _window(3, T0 + 11 * MIN, 40),  # closes after the interval
        ],
    )
    report = recommend.run(settings, Interval(T0, T0 + 10 * MIN))
    assert report.windows == 3 and report.latest_window_end_ms == T0 + 5 * MIN
    with open_serving(settings.backend("serving")) as serving:
        top = [(t.rank, t.product_id, t.clicks_5m, t.units_ordered) for t in serving.top_products()]
        recs = [(r.product_id, r.score) for r in serving.recommendations(7)]
    # 0.7 x 2 = 1.4 (product 1), 0.3 x 3 = 0.9 (product 4), 0.7 x 1 = 0.7 (product 2)
    assert top == [(1, 1, 2, 0), (2, 4, 0, 3), (3, 2, 1, 0)]
    # user 7 clicked category 10 twice and bought product 4 (category 20): 1 and 2, by score
    assert recs == [(1, pytest.approx(2 * 1.4)), (2, pytest.approx(2 * 0.7))]
    assert report.serving is not None and report.serving.status == "published"


def test_rerun_changes_nothing_and_an_empty_interval_keeps_the_set(settings: Settings) -> None:
    _write_windows(settings, [_window(2, T0 + 3 * MIN, 5)])
    first = recommend.run(settings, Interval(T0, T0 + 10 * MIN))
    again = recommend.run(settings, Interval(T0, T0 + 10 * MIN))
    assert first.serving is not None and again.serving is not None
    assert again.serving.status == "unchanged"
    assert again.serving.version == first.serving.version
    empty = recommend.run(settings, Interval(T0 + 10 * MIN, T0 + 20 * MIN))
    assert empty.serving is None and empty.windows == 0
    assert ("serving version", "previous set kept (no closed window)") in empty.rows()
    with open_serving(settings.backend("serving")) as serving:
        assert serving.current_version() == first.serving.version
        assert [t.product_id for t in serving.top_products()] == [2, 4]


def test_parse_windows_types_the_ids_as_integers() -> None:
    table = recommend.parse_windows([json.dumps(_window(5, T0, 3)).encode()])
    assert table.to_pylist() == [
        {"product_id": 5, "window_start_ms": T0 - 5 * MIN, "window_end_ms": T0, "clicks": 3}
    ]
