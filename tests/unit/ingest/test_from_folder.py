"""`ingest --from DIR`: CSV and Parquet beside JSON Lines, what was not used, what was emptied."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.shopfiles import (
    count,
    rows_of,
    shop_rows,
    write_csv,
    write_jsonl,
    write_parquet,
)
from vitrina.cli import main
from vitrina.config import Settings
from vitrina.ingest import run_ingest


def _mixed_folder(root: Path) -> Path:
    """The shop as a mix of formats and layouts, like an export from another system."""
    shop = shop_rows()
    write_csv(root / "users" / "users.csv", shop["users"])
    write_parquet(root / "categories" / "part-0.parquet", shop["categories"])
    write_jsonl(root / "products.jsonl", shop["products"])  # a single file per entity
    write_csv(root / "orders.csv", shop["orders"])
    details = [{**d, "price_per_unit": float(d["price_per_unit"])} for d in shop["order_details"]]
    write_parquet(root / "order_details" / "lines.parquet", details)
    write_jsonl(root / "reviews" / "2026.jsonl", shop["reviews"])
    write_csv(root / "loyalty_points" / "a.csv", shop["loyalty_points"])
    return root


def test_csv_and_parquet_are_read_beside_json_lines(settings: Settings, tmp_path: Path) -> None:
    report = run_ingest(settings, from_dir=_mixed_folder(tmp_path / "export"))
    got = {e.entity: (e.read, e.loaded, e.quarantined) for e in report.entities}
    assert got == {
        "users": (2, 2, 0),
        "categories": (2, 2, 0),
        "products": (2, 2, 0),
        "orders": (2, 2, 0),
        "order_details": (3, 3, 0),
        "reviews": (1, 1, 0),
        "loyalty_points": (1, 1, 0),
    }
    assert report.files == 7 and report.emptied == () and report.unused == ()
    orders = rows_of(
        settings, "select order_id, total_amount, delivery_date from clean.orders order by 1"
    )
    assert [(o["order_id"], str(o["total_amount"])) for o in orders] == [
        (100, "55.00"),
        (101, "19.00"),
    ]
    assert orders[1]["delivery_date"] is None  # an empty CSV cell is absent
    lines = rows_of(settings, "select _file, _line from raw.order_details order by _line")
    assert [(r["_file"], r["_line"]) for r in lines] == [
        ("dir:order_details/lines.parquet", 1),
        ("dir:order_details/lines.parquet", 2),
        ("dir:order_details/lines.parquet", 3),
    ]
    users = rows_of(settings, "select _line from raw.users order by _line")
    assert [u["_line"] for u in users] == [2, 3]  # the CSV header is line 1


def test_a_bad_csv_row_is_quarantined_with_its_line(settings: Settings, tmp_path: Path) -> None:
    root = tmp_path / "export"
    path = write_csv(root / "users" / "users.csv", shop_rows()["users"])
    path.write_text(path.read_text() + "3,Only,three\n")
    report = run_ingest(settings, from_dir=root)
    assert (report.counts("users").loaded, report.counts("users").quarantined) == (2, 1)
    q = rows_of(settings, "select origin, reasons from raw.quarantine where entity = 'users'")
    assert q == [
        {"origin": "dir:users/users.csv:4", "reasons": "malformed CSV: 3 fields, header has 7"}
    ]


def test_a_damaged_parquet_file_is_quarantined_not_fatal(
    settings: Settings, tmp_path: Path
) -> None:
    root = _mixed_folder(tmp_path / "export")
    (root / "order_details" / "zz-broken.parquet").write_bytes(b"PAR1 not really")
    report = run_ingest(settings, from_dir=root)
    assert report.counts("order_details").loaded == 3
    q = rows_of(settings, "select origin, reasons from raw.quarantine")
    assert [r["origin"] for r in q] == ["dir:order_details/zz-broken.parquet:0"]
    assert str(q[0]["reasons"]).startswith("unreadable Parquet file")


def test_folders_and_files_not_used_are_named(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _mixed_folder(tmp_path / "export")
    write_csv(root / "order_items" / "items.csv", [{"id": 1}])
    (root / "orders_notes.txt").write_text("notes")
    (root / "reviews" / "old.json").write_text("[]")
    (root / "reviews" / "2025").mkdir()
    code = main(["--data-dir", str(settings.data_dir), "ingest", "--from", str(root)])
    err = capsys.readouterr().err
    assert code == 0
    assert "not used: order_items/ (not an entity)" in err
    assert "not used: orders_notes.txt (not .jsonl, .ndjson, .csv, .parquet)" in err
    assert "not used: reviews/old.json" in err
    assert "not used: reviews/2025/ (sub-folders are not read)" in err
    assert count(settings, "clean.reviews") == 1


def test_nothing_read_exits_1_and_writes_nothing(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "export"
    (root / "users").mkdir(parents=True)
    (root / "users" / "users.csv").write_text("user_id,first_name\n")
    (root / "orders.jsonl").write_text("")
    (root / "reviews").mkdir()  # an entity folder without files
    code = main(["--data-dir", str(settings.data_dir), "ingest", "--from", str(root)])
    err = capsys.readouterr().err
    assert code == 1
    assert "nothing read" in err
    assert not (settings.data_dir / "warehouse.duckdb").exists()


def test_absent_and_empty_entities_are_emptied(
    settings: Settings, world_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_ingest(settings, from_dir=world_dir)
    assert count(settings, "clean.reviews") == 13
    assert count(settings, "raw.quarantine where entity = 'orders'") == 1
    shop = shop_rows()
    root = tmp_path / "catalogue"
    for entity in ("users", "categories", "products"):
        write_jsonl(root / entity / f"{entity}.jsonl", shop[entity])
    (root / "reviews").mkdir()
    (root / "reviews" / "none.jsonl").write_bytes(b"")
    code = main(["--data-dir", str(settings.data_dir), "ingest", "--from", str(root)])
    err = capsys.readouterr().err
    assert code == 0
    assert (
        "emptied (absent or empty in --from): orders, order_details, reviews, loyalty_points"
        in (" ".join(err.split()))
    )
    for table in ("orders", "order_details", "reviews", "loyalty_points"):
        assert count(settings, f"clean.{table}") == 0
        assert count(settings, f"raw.{table}") == 0
    assert count(settings, "raw.quarantine where entity = 'orders'") == 0
    assert count(settings, "clean.products") == 2
    assert count(settings, "clean.clicks") == 21  # events are a log: a folder adds to them


def test_empty_oltp_snapshot_still_keeps_the_warehouse(settings: Settings, world_dir: Path) -> None:
    """Only --from replaces: the OLTP source's empty table is a source not filled yet."""
    run_ingest(settings, from_dir=world_dir)
    report = run_ingest(settings)  # the local source is empty
    assert report.emptied == ()
    assert count(settings, "clean.reviews") == 13
