"""Clicks ingested file by file (engine dedupe) give the same tables as the whole-run path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from tests.support.digests import table_digests
from vitrina.config import Settings, load_settings
from vitrina.eventlog import open_eventlog
from vitrina.ingest import run_ingest
from vitrina.source import open_source
from vitrina.timeutil import parse_instant_ms
from vitrina.warehouse import open_warehouse

H0 = parse_instant_ms("2026-11-22T00:00:00Z")
HOUR_MS = 3_600_000


def _add(table: pa.Table, row: dict[str, Any]) -> pa.Table:
    return pa.Table.from_pylist([*table.to_pylist(), row], schema=table.schema)


def _world(root: Path, shop: dict[str, pa.Table], click: Callable[..., bytes]) -> Settings:
    settings = load_settings(data_dir=root, environ={}, cwd=root)
    products = shop["products"].to_pylist()[0]
    # Product 12's category does not exist (a cross-record failure); user 3's e-mail is
    # broken (a record-level one): clicks on either name their quarantined parent.
    shop["products"] = _add(shop["products"], {**products, "product_id": 12, "category_id": 99})
    users = shop["users"].to_pylist()[0]
    shop["users"] = _add(shop["users"], {**users, "user_id": 3, "email": "not-an-address"})
    src = open_source(settings.backend("source"))
    try:
        src.replace_tables(shop)
    finally:
        src.close()
    first = [
        click("a", 10, "2026-11-22T00:00:01.000Z"),
        click("b", 12, "2026-11-22T00:00:02.000Z"),  # product quarantined
        click("a", 11, "2026-11-22T00:00:03.000Z"),  # repeat of a: a duplicate
        click("c", 10, "2026-11-22T00:00:04.000Z", user_id=3),  # user quarantined
        b'{"event_id": "d", "user_id": 1',  # does not parse
        click("e", 10, "2026-11-22T00:00:05.000Z", event_type="hover"),  # bad field
        click("f", 10, "2026-11-22T00:00:06.000Z", user_id=77),  # user missing
    ]
    second = [
        click("b", 10, "2026-11-22T01:00:01.000Z"),  # repeat of a quarantined click
        click("g", 11, "2026-11-22T01:00:02.000Z", user_id=2),
        click("g", 11, "2026-11-22T01:00:03.000Z", user_id=2),
        click("h", 12, "2026-11-22T01:00:04.000Z", user_id=77),  # two broken references
    ]
    log = open_eventlog(settings.backend("eventlog"))
    for hour, lines in enumerate((first, second)):
        log.write_slice("clicks", H0 + hour * HOUR_MS, b"\n".join(lines) + b"\n")
    return settings


def _quarantine(settings: Settings, columns: str = "origin") -> list[dict[str, Any]]:
    wh = open_warehouse(settings.backend("warehouse"))
    try:
        rows: list[dict[str, Any]] = wh.query_arrow(
            f"select {columns}, reasons from raw.quarantine order by all"
        ).to_pylist()
        return rows
    finally:
        wh.close()


def test_piecewise_clicks_equal_the_whole_run(
    tmp_path: Path,
    shop: Callable[..., dict[str, pa.Table]],
    click: Callable[..., bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    piecewise = _world(tmp_path / "piecewise", shop(), click)
    whole = _world(tmp_path / "whole", shop(), click)

    report = run_ingest(piecewise)
    with monkeypatch.context() as m:  # every entity through the whole-run path
        m.setattr("vitrina.ingest.run.streamable", lambda entity: False)
        whole_report = run_ingest(whole)

    clicks = report.counts("clicks")
    assert (clicks.read, clicks.loaded, clicks.duplicates, clicks.quarantined) == (11, 2, 3, 6)
    assert whole_report.counts("clicks") == clicks
    # Quarantine rows carry the moment of their run: compared without it.
    tables = [t for t in table_digests(whole) if t != "raw.quarantine"]
    assert table_digests(piecewise, tables) == table_digests(whole, tables)
    assert _quarantine(piecewise, "entity, origin, payload") == _quarantine(
        whole, "entity, origin, payload"
    )
    reasons = {r["origin"].rsplit("/", 1)[-1]: r["reasons"] for r in _quarantine(piecewise)}
    first, second = sorted({o.split(":")[0] for o in reasons if o.startswith("clicks.")})
    assert "its products record was quarantined" in reasons[f"{first}:2"]
    assert "its users record was quarantined" in reasons[f"{first}:4"]
    assert reasons[f"{first}:7"] == "clicks.user_id: 77 not found in users/registrations"
    # Product 12 exists (broken, but a record): only the missing user is named.
    assert reasons[f"{second}:4"] == "clicks.user_id: 77 not found in users/registrations"

    before = table_digests(piecewise)
    run_ingest(piecewise, start_ms=H0, end_ms=H0 + 2 * HOUR_MS)  # re-read: nothing changes
    assert table_digests(piecewise) == before
