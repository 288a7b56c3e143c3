"""`vitrina ingest --from DIR` on the hand-made world: counts, quarantine, cleaning, idempotency."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.shopfiles import rows_of as _rows
from vitrina.cli import main
from vitrina.config import Settings
from vitrina.ingest import run_ingest

Digests = Callable[[Settings], dict[str, tuple[int, str]]]


def test_counts_per_entity(settings: Settings, world_dir: Path) -> None:
    report = run_ingest(settings, from_dir=world_dir)
    got = {e.entity: (e.read, e.loaded, e.duplicates, e.quarantined) for e in report.entities}
    assert got == {
        "users": (6, 3, 1, 2),  # a duplicate of user 1, a bad e-mail/status, a malformed line
        "categories": (3, 3, 0, 0),
        "products": (7, 7, 0, 0),
        "orders": (6, 5, 0, 1),  # status "lost"
        "order_details": (8, 7, 0, 1),  # product 99 does not exist
        "reviews": (14, 13, 0, 1),  # rating 6
        "loyalty_points": (3, 3, 0, 0),
        "clicks": (23, 21, 1, 1),  # e-first delivered twice; product 77 does not exist
    }
    for e in report.entities:
        assert e.read == e.loaded + e.duplicates + e.quarantined
    assert report.files == 9


def test_quarantine_keeps_payload_reasons_and_origin(settings: Settings, world_dir: Path) -> None:
    run_ingest(settings, from_dir=world_dir)
    rows = _rows(
        settings,
        "select entity, origin, origin_file, payload, reasons from raw.quarantine order by origin",
    )
    assert [(r["entity"], r["origin"]) for r in rows] == [
        ("clicks", "dir:clicks/b.jsonl:2"),
        ("order_details", "dir:order_details/order_details.jsonl:8"),
        ("orders", "dir:orders/orders.jsonl:6"),
        ("reviews", "dir:reviews/reviews.jsonl:14"),
        ("users", "dir:users/users.jsonl:5"),
        ("users", "dir:users/users.jsonl:6"),
    ]
    user4 = rows[4]
    assert "users.email" in str(user4["reasons"]) and "users.loyalty_status" in str(
        user4["reasons"]
    )
    assert '"email":"not-an-email"' in str(user4["payload"])
    assert str(rows[5]["reasons"]).startswith("malformed JSON")
    assert rows[5]["payload"] == '{"user_id": 5, "first_name": "Eve",'
    assert rows[0]["origin_file"] == "dir:clicks/b.jsonl"


def test_clean_layer_is_trimmed_and_normalised_raw_layer_is_as_read(
    settings: Settings, world_dir: Path
) -> None:
    run_ingest(settings, from_dir=world_dir)
    clean = _rows(
        settings, "select first_name, email, loyalty_status from clean.users where user_id = 1"
    )
    assert clean == [
        {"first_name": "Ann", "email": "ann.lee@example.com", "loyalty_status": "Gold"}
    ]
    raw = _rows(
        settings,
        "select first_name, email, loyalty_status, _line from raw.users where user_id = '1' order by _line",
    )
    assert [(r["first_name"], r["email"], r["loyalty_status"], r["_line"]) for r in raw] == [
        (" Ann ", "Ann.Lee@Example.COM", "gold", 1),
        (" Ann ", "Ann.Lee@Example.COM", "gold", 4),
    ]
    status = _rows(settings, "select status from clean.orders where order_id = 103")
    assert status == [{"status": "delivered"}]
    first = _rows(
        settings, "select arrival_file, arrival_line from clean.clicks where event_id = 'e-first'"
    )
    assert first == [
        {"arrival_file": "dir:clicks/a.jsonl", "arrival_line": 5}
    ]  # the first delivery wins


def test_reingesting_the_same_files_changes_no_table(
    settings: Settings, world_dir: Path, digests: Digests
) -> None:
    run_ingest(settings, from_dir=world_dir)
    before = digests(settings)
    again = run_ingest(settings, from_dir=world_dir)
    assert digests(settings) == before
    assert (
        before["clean.clicks"][0] == 21
        and before["raw.clicks"][0] == 23
        and before["raw.quarantine"][0] == 6
    )
    clicks = again.counts("clicks")
    assert (clicks.read, clicks.loaded, clicks.duplicates, clicks.quarantined) == (23, 0, 22, 1)


def test_cli_ingest_from_dir(
    settings: Settings, world_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--data-dir", str(settings.data_dir), "ingest", "--from", str(world_dir)])
    out = capsys.readouterr().err  # a summary: stderr
    assert code == 0
    assert "read 23, loaded 21, duplicates 1, quarantined 1" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["ingest", "--start", "2026-11-02", "--end", "2026-11-01"],
            "--start must be before --end",
        ),
        (["ingest", "--start", "yesterday"], "--start"),
        (["ingest", "--from", "/nonexistent/folder"], "not a directory"),
    ],
)
def test_cli_ingest_bad_usage_exits_2(
    settings: Settings, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--data-dir", str(settings.data_dir), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert not (settings.data_dir / "warehouse.duckdb").exists()  # nothing written


def test_from_dir_without_entity_folders_is_bad_usage(settings: Settings, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code = main(["--data-dir", str(settings.data_dir), "ingest", "--from", str(empty)])
    assert code == 2
