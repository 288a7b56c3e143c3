"""top_products and popular_products on the hand-made clicks (tests/unit/transform/world/clicks).

The last event is at 12:10:20, so the watermark ends at 12:09:50 and the latest closed 5-minute
window is [12:04:00, 12:09:00): an event at 12:04:00 counts, one at 12:09:00 does not, and the
click at 12:06:30 that arrives after the watermark passed 12:09:00 (late) does not either.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal as D
from typing import Any

from vitrina.config import Settings, load_settings
from vitrina.warehouse.transform import run_transform

Mart = Callable[[str, str], list[dict[str, Any]]]
Reader = Callable[..., list[dict[str, Any]]]


def test_top_products_pinned_score_and_ties(mart: Mart) -> None:
    rows = mart("top_products", "rank")
    assert list(rows[0]) == ["rank", "product_id", "clicks_5m", "units_ordered", "score"]
    assert [tuple(r.values()) for r in rows] == [
        (1, 10, 3, 3, D("3.0000")),  # 0.7*3 + 0.3*3
        (2, 12, 2, 3, D("2.3000")),  # the late click is not counted
        (3, 15, 3, 0, D("2.1000")),  # 0.7*3 ...
        (4, 16, 0, 7, D("2.1000")),  # ... = 0.3*7 exactly: tie broken by product_id
        (5, 11, 1, 1, D("1.0000")),  # its click at 12:09:00 belongs to the next window
        (6, 14, 0, 2, D("0.6000")),  # an add_to_cart is not a click
    ]  # product 13 (score 0) is not ranked


def test_latest_closed_window_bounds(built_world: tuple[Settings, Any, Any], read: Reader) -> None:
    rows = read(built_world[0], "int_product_clicks__latest_window", "product_id", "intermediate")
    start_ms = 1_795_349_040_000  # 2026-11-22T12:04:00Z
    assert {(r["window_start_ms"], r["window_end_ms"]) for r in rows} == {
        (start_ms, start_ms + 300_000)
    }
    assert [(r["product_id"], r["clicks"]) for r in rows] == [(10, 3), (11, 1), (12, 2), (15, 3)]


def test_popular_products_as_of_end_of_data(mart: Mart) -> None:
    rows = mart("popular_products", "product_id")
    assert list(rows[0]) == ["product_id", "clicks_1h", "clicks_24h", "rank_1h", "rank_24h"]
    assert [tuple(r.values()) for r in rows] == [
        (10, 4, 4, 1, 2),
        (11, 3, 6, 2, 1),  # three clicks at 06:00 count in 24 h only
        (12, 3, 3, 3, 3),  # ties on clicks: product_id ascending
        (15, 3, 3, 4, 4),
    ]  # product 13: its click is two days old; 14: no clicks


def test_top_n_and_weights_come_from_settings(
    built_world: tuple[Settings, Any, Any], read: Reader
) -> None:
    scoring = {"top_n": 2, "click_weight": 0.0, "units_weight": 1.0}
    settings = load_settings(
        data_dir=built_world[0].data_dir, environ={}, overrides={"scoring": scoring}
    )
    try:
        run_transform(settings, select="top_products")
        rows = read(settings, "top_products", "rank")
        assert [(r["rank"], r["product_id"], r["score"]) for r in rows] == [
            (1, 16, D("7.0000")),
            (2, 10, D("3.0000")),
        ]
    finally:
        run_transform(built_world[0], select="top_products")  # leave the shared world as it was
    assert len(read(built_world[0], "top_products", "rank")) == 6
