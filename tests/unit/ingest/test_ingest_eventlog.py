"""Ingest from the event log (through the ``ingest`` manifest) and the OLTP source."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa

from tests.support.shopfiles import rows_of as _rows
from vitrina.config import Settings
from vitrina.eventlog import Manifest, open_eventlog
from vitrina.ingest import run_ingest
from vitrina.source import open_source
from vitrina.timeutil import parse_instant_ms

Digests = Callable[[Settings], dict[str, tuple[int, str]]]
H12 = parse_instant_ms("2026-11-22T12:00:00Z")
H13 = parse_instant_ms("2026-11-22T13:00:00Z")


def _write_source(settings: Settings, tables: dict[str, pa.Table]) -> None:
    src = open_source(settings.backend("source"))
    try:
        src.replace_tables(tables)
    finally:
        src.close()


def _setup(
    settings: Settings, shop: Callable[..., dict[str, pa.Table]], click: Callable[..., bytes]
) -> Any:
    _write_source(settings, shop())
    log = open_eventlog(settings.backend("eventlog"))
    log.write_slice(
        "clicks",
        H12,
        b"\n".join(
            [
                click("c1", 10, "2026-11-22T12:00:01.000Z"),
                click("c2", 11, "2026-11-22T12:00:02.000Z", "view"),
                click("c1", 10, "2026-11-22T12:00:01.000Z"),  # redelivered
                b'{"event_id": "c3", "user_id": 1, "product_id": 10',  # malformed
                click("c4", 10, "2026-11-22T12:00:04.000Z", "scroll"),  # unknown event type
            ]
        )
        + b"\n",
    )
    registration = (
        b'{"event_id": "r1", "user_id": 2, "first_name": "Bob", "last_name": "Roy",'
        b' "email": "bob@example.com", "phone": "+1 555 0102",'
        b' "registration_date": "2026-11-22T10:00:00.000Z", "loyalty_status": "Bronze",'
        b' "ts": "2026-11-22T10:00:00.000Z"}\n'
    )
    log.write_slice("registrations", H12 - 7_200_000, registration)
    return log


def test_first_run_reads_source_and_log(settings: Settings, shop: Any, click: Any) -> None:
    _setup(settings, shop, click)
    report = run_ingest(settings)
    clicks = report.counts("clicks")
    assert (clicks.read, clicks.loaded, clicks.duplicates, clicks.quarantined) == (5, 2, 1, 2)
    assert report.counts("users").loaded == 2 and report.counts("registrations").loaded == 1
    assert report.counts("orders").loaded == 1
    origins = _rows(settings, "select origin, reasons from raw.quarantine order by origin")
    assert [r["origin"] for r in origins] == [
        "clicks.20261122T120000Z.jsonl:4",
        "clicks.20261122T120000Z.jsonl:5",
    ]
    assert "clicks.event_type" in origins[1]["reasons"]
    users = _rows(settings, "select user_id, first_name, email from clean.users order by user_id")
    assert users[1] == {"user_id": 2, "first_name": "Bob", "email": "bob@example.com"}


def test_second_run_reads_nothing_pending_and_changes_nothing(
    settings: Settings, shop: Any, click: Any, digests: Digests
) -> None:
    log = _setup(settings, shop, click)
    run_ingest(settings)
    assert Manifest(log, consumer="ingest").pending("clicks") == []
    before = digests(settings)
    report = run_ingest(settings)
    assert report.counts("clicks").read == 0
    assert digests(settings) == before


def test_reingesting_an_interval_rereads_its_files_and_changes_nothing(
    settings: Settings, shop: Any, click: Any, digests: Digests
) -> None:
    _setup(settings, shop, click)
    run_ingest(settings, start_ms=H12, end_ms=H13)
    before = digests(settings)
    report = run_ingest(settings, start_ms=H12, end_ms=H13)
    assert report.counts("clicks").read == 5
    assert report.counts("clicks").loaded == 0
    assert digests(settings) == before


def test_empty_interval_changes_no_event_table(
    settings: Settings, shop: Any, click: Any, digests: Digests
) -> None:
    _setup(settings, shop, click)
    run_ingest(settings)
    before = digests(settings)
    report = run_ingest(settings, start_ms=H13, end_ms=H13 + 3_600_000)
    assert report.counts("clicks").read == 0 and report.counts("registrations").read == 0
    assert digests(settings) == before


def test_new_slice_adds_only_its_events(settings: Settings, shop: Any, click: Any) -> None:
    log = _setup(settings, shop, click)
    run_ingest(settings)
    log.write_slice(
        "clicks",
        H13,
        click("c1", 10, "2026-11-22T12:00:01.000Z")
        + b"\n"
        + click("c9", 11, "2026-11-22T13:00:09.000Z"),
    )
    report = run_ingest(settings)
    clicks = report.counts("clicks")
    assert (clicks.read, clicks.loaded, clicks.duplicates) == (
        2,
        1,
        1,
    )  # c1 is already in the warehouse
    got = _rows(settings, "select event_id, arrival_file from clean.clicks order by event_id")
    assert got == [
        {"event_id": "c1", "arrival_file": "clicks.20261122T120000Z.jsonl"},
        {"event_id": "c2", "arrival_file": "clicks.20261122T120000Z.jsonl"},
        {"event_id": "c9", "arrival_file": "clicks.20261122T130000Z.jsonl"},
    ]
    raw = _rows(settings, "select count(*) as n from raw.clicks")
    assert raw == [{"n": 6}]  # every parsed line of both files; the malformed one is in quarantine


def test_source_snapshot_replaces_and_records_status_changes(
    settings: Settings, shop: Any, click: Any
) -> None:
    _setup(settings, shop, click)
    run_ingest(settings)
    _write_source(settings, shop(loyalty_of_user_2="Gold"))
    run_ingest(settings)
    users = _rows(settings, "select user_id, loyalty_status from clean.users order by user_id")
    assert users == [
        {"user_id": 1, "loyalty_status": "Gold"},
        {"user_id": 2, "loyalty_status": "Gold"},
    ]
    seen = _rows(
        settings,
        "select user_id, loyalty_status, cast(observed_at as varchar) as at "
        "from clean.user_status_observations order by user_id, observed_at",
    )
    # observed as of the newest moment in the data (12:00:02), the change 1 ms after it
    assert seen == [
        {"user_id": 1, "loyalty_status": "Gold", "at": "2026-11-22 12:00:02"},
        {"user_id": 2, "loyalty_status": "Silver", "at": "2026-11-22 12:00:02"},
        {"user_id": 2, "loyalty_status": "Gold", "at": "2026-11-22 12:00:02.001"},
    ]


def test_loyalty_history_scd2_from_registrations_and_snapshots(
    settings: Settings, shop: Any, click: Any
) -> None:
    from vitrina.warehouse.transform import run_transform

    _setup(settings, shop, click)
    run_ingest(settings)
    _write_source(settings, shop(loyalty_of_user_2="Gold"))
    run_ingest(settings)
    report = run_transform(settings, select="+dim_user_loyalty_history")
    assert report.tests_failed == 0 and report.models >= 4
    rows = _rows(
        settings,
        "select user_id, version, loyalty_status, cast(valid_from as varchar) as valid_from, "
        "cast(valid_to as varchar) as valid_to, is_current "
        "from marts.dim_user_loyalty_history order by user_id, version",
    )
    assert [tuple(r.values()) for r in rows] == [
        (1, 1, "Gold", "2026-01-01 00:00:00", None, True),
        (2, 1, "Bronze", "2026-11-22 10:00:00", "2026-11-22 12:00:02", False),  # registration event
        (2, 2, "Silver", "2026-11-22 12:00:02", "2026-11-22 12:00:02.001", False),  # first snapshot
        (2, 3, "Gold", "2026-11-22 12:00:02.001", None, True),  # promoted in the source
    ]


def test_an_empty_source_table_never_wipes_the_warehouse(
    settings: Settings, shop: Any, click: Any, digests: Digests
) -> None:
    _setup(settings, shop, click)
    run_ingest(settings)
    before = digests(settings)
    tables = shop()
    tables["reviews"] = tables["reviews"].slice(0, 0)
    _write_source(settings, tables)
    report = run_ingest(settings)
    assert report.counts("reviews").read == 0
    assert digests(settings)["clean.reviews"] == before["clean.reviews"]
    assert digests(settings)["clean.reviews"][0] == 1
