"""A jaffle-shop-like export: UUID ids, its own names and statuses, extra folders, missing entities."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.support.shopfiles import count, rows_of, shop_rows, write_csv
from vitrina.cli import main
from vitrina.config import Settings

MAPPING = """
surrogate_keys = ["user_id", "order_id", "product_id", "order_detail_id"]

[entities]
raw_customers = "users"
raw_orders = "orders"
raw_items = "order_details"
raw_products = "products"
raw_stores = "categories"

[columns.users]
id = "user_id"
[columns.orders]
id = "order_id"
customer = "user_id"
ordered_at = "order_date"
order_total = "total_amount"
[columns.order_details]
id = "order_detail_id"
order_id = "order_id"
sku = "product_id"
[columns.products]
sku = "product_id"
[columns.categories]
id = "category_id"
"""


def _uid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def _export(root: Path, bad_customer: bool = False) -> Path:
    shop = shop_rows()
    customers = [{**u, "user_id": _uid(f"c{u['user_id']}")} for u in shop["users"]]
    if bad_customer:
        customers[1]["email"] = "nobody"
    write_csv(root / "raw_customers.csv", [{"id": c.pop("user_id"), **c} for c in customers])
    write_csv(
        root / "raw_stores.csv", [{"id": c.pop("category_id"), **c} for c in shop["categories"]]
    )
    products = [{**p, "product_id": f"JAF-{p['product_id']}"} for p in shop["products"]]
    write_csv(root / "raw_products.csv", [{"sku": p.pop("product_id"), **p} for p in products])
    statuses = {100: "completed", 101: "return_pending"}
    orders = [
        {
            "id": _uid(f"o{o['order_id']}"),
            "customer": _uid(f"c{o['user_id']}"),
            "ordered_at": str(o["order_date"]).replace("T", " ").removesuffix("Z"),
            "order_total": o["total_amount"],
            "status": statuses[int(str(o["order_id"]))],
            "delivery_date": o["delivery_date"],
        }
        for o in shop["orders"]
    ]
    write_csv(root / "raw_orders.csv", orders)
    items = [
        {
            "id": _uid(f"i{d['order_detail_id']}"),
            "order_id": _uid(f"o{d['order_id']}"),
            "sku": f"JAF-{d['product_id']}",
            "quantity": d["quantity"],
            "price_per_unit": d["price_per_unit"],
            "total_price": d["total_price"],
        }
        for d in shop["order_details"]
    ]
    write_csv(root / "raw_items.csv", items)
    write_csv(root / "raw_supplies.csv", [{"id": "SUP-1", "name": "napkin"}])
    return root


@pytest.fixture()
def profile(tmp_path: Path) -> Path:
    (tmp_path / "mapping.toml").write_text(MAPPING)
    toml = tmp_path / "vitrina.toml"
    toml.write_text(
        "[ingest]\n"
        f'mapping = "{tmp_path / "mapping.toml"}"\n'
        "naive_as_utc = true\n"
        'status_map = { "return_pending" = "returned" }\n'
    )
    return toml


def _ingest(settings: Settings, profile: Path, root: Path) -> int:
    args = ["--config", str(profile), "--data-dir", str(settings.data_dir)]
    return main([*args, "ingest", "--from", str(root)])


def test_jaffle_like_export_loads_and_says_what_it_did(
    settings: Settings, profile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _export(tmp_path / "jaffle")
    code = _ingest(settings, profile, root)
    err = " ".join(capsys.readouterr().err.split())
    assert code == 0
    assert "not used: raw_supplies.csv (not an entity)" in err
    assert "emptied (absent or empty in --from): reviews, loyalty_points" in err
    for table, n in (("users", 2), ("categories", 2), ("products", 2), ("orders", 2)):
        assert count(settings, f"clean.{table}") == n
    assert count(settings, "clean.order_details") == 3
    assert count(settings, "raw.quarantine") == 0
    orders = rows_of(settings, "select order_id, user_id, status from clean.orders order by 1")
    assert orders == [
        {"order_id": 1, "user_id": 1, "status": "completed"},
        {"order_id": 2, "user_id": 2, "status": "returned"},
    ]
    spaces = rows_of(
        settings, "select key_space, count(*) as n from clean.surrogate_keys group by 1 order by 1"
    )
    assert spaces == [
        {"key_space": "order_detail_id", "n": 3},
        {"key_space": "order_id", "n": 2},
        {"key_space": "product_id", "n": 2},
        {"key_space": "user_id", "n": 2},
    ]


def test_jaffle_like_child_of_a_quarantined_customer_names_it(
    settings: Settings, profile: Path, tmp_path: Path
) -> None:
    code = _ingest(settings, profile, _export(tmp_path / "jaffle", bad_customer=True))
    assert code == 0
    rows = rows_of(settings, "select entity, origin, reasons from raw.quarantine order by 1")
    assert [(r["entity"], r["origin"]) for r in rows] == [
        ("order_details", "dir:raw_items.csv:4"),
        ("orders", "dir:raw_orders.csv:3"),
        ("users", "dir:raw_customers.csv:3"),
    ]
    assert str(rows[1]["reasons"]) == (
        "orders.user_id: 2: its users record was quarantined "
        "(dir:raw_customers.csv:3: users.email: not an e-mail address: 'nobody')"
    )
    assert str(rows[0]["reasons"]).startswith(
        "order_details.order_id: 2: its orders record was quarantined (dir:raw_orders.csv:3:"
    )
