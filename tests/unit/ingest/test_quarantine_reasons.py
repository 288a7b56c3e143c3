"""Quarantine rows say what really went wrong, quote the input as written, and BOMs are read."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.support.shopfiles import rows_of, shop_rows, write_csv, write_jsonl
from vitrina.config import Settings
from vitrina.ingest import run_ingest


def _write(root: Path, shop: dict[str, list[dict[str, object]]]) -> Path:
    for entity, rows in shop.items():
        write_jsonl(root / entity / f"{entity}.jsonl", rows)
    return root


def _reasons(settings: Settings, entity: str) -> dict[str, str]:
    rows = rows_of(
        settings, f"select origin, reasons from raw.quarantine where entity = '{entity}'"
    )
    return {str(r["origin"]): str(r["reasons"]) for r in rows}


def test_child_of_a_parent_quarantined_for_a_field_says_so(
    settings: Settings, tmp_path: Path
) -> None:
    shop = shop_rows()
    shop["users"][1] = {**shop["users"][1], "user_id": 85, "email": "not-an-email"}
    shop["orders"][1]["user_id"] = 85
    shop["reviews"][0]["user_id"] = 85
    run_ingest(settings, from_dir=_write(tmp_path / "x", shop))
    orders = _reasons(settings, "orders")
    assert orders == {
        "dir:orders/orders.jsonl:2": (
            "orders.user_id: 85: its users record was quarantined "
            "(dir:users/users.jsonl:2: users.email: not an e-mail address: 'not-an-email')"
        )
    }
    (review,) = _reasons(settings, "reviews").values()
    assert review.startswith("reviews.user_id: 85: its users record was quarantined")
    # Lines of the quarantined order follow it, and say which order and why.
    (line,) = _reasons(settings, "order_details").values()
    assert line.startswith(
        "order_details.order_id: 101: its orders record was quarantined "
        "(dir:orders/orders.jsonl:2: orders.user_id: 85: its users record"
    )


def test_child_of_a_parent_quarantined_by_a_rule_across_records_says_so(
    settings: Settings, tmp_path: Path
) -> None:
    shop = shop_rows()
    shop["users"][1]["email"] = "MARIA@example.com"  # user 1 has it already
    run_ingest(settings, from_dir=_write(tmp_path / "x", shop))
    users = _reasons(settings, "users")
    assert users == {
        "dir:users/users.jsonl:2": (
            "users.email: email maria@example.com already used on dir:users/users.jsonl:1"
        )
    }
    (order,) = _reasons(settings, "orders").values()
    assert order == (
        "orders.user_id: 2: its users record was quarantined (dir:users/users.jsonl:2: "
        "users.email: email maria@example.com already used on dir:users/users.jsonl:1)"
    )


def test_quarantined_payload_keeps_json_types(settings: Settings, tmp_path: Path) -> None:
    shop = shop_rows()
    detail = shop["order_details"][2]
    detail.update(quantity=9.0, price_per_unit=9.0, total_price=True, note="extra")
    run_ingest(settings, from_dir=_write(tmp_path / "x", shop))
    rows = rows_of(
        settings, "select payload, reasons from raw.quarantine where entity = 'order_details'"
    )
    assert len(rows) == 1
    payload = orjson.loads(str(rows[0]["payload"]))
    assert payload == {
        "order_detail_id": 1002,
        "order_id": 101,
        "product_id": 11,
        "quantity": 9.0,
        "price_per_unit": 9.0,
        "total_price": True,
        "note": "extra",
    }
    assert isinstance(payload["quantity"], float) and payload["total_price"] is True


def test_lines_starting_with_a_bom_are_read(settings: Settings, tmp_path: Path) -> None:
    shop = shop_rows()
    root = _write(tmp_path / "x", shop)
    users = root / "users" / "users.jsonl"
    lines = users.read_bytes().splitlines(keepends=True)
    users.write_bytes(b"\xef\xbb\xbf" + lines[0] + b"\xef\xbb\xbf" + lines[1])
    (root / "products" / "products.jsonl").unlink()
    write_csv(root / "products" / "products.csv", shop["products"], bom=True)
    report = run_ingest(settings, from_dir=root)
    assert report.quarantined == 0
    assert (report.counts("users").loaded, report.counts("products").loaded) == (2, 2)
