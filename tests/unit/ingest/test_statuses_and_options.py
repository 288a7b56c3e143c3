"""Order statuses of real shops, and the [ingest] options for a user's own data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.shopfiles import rows_of, shop_rows, write_csv, write_jsonl
from vitrina.cli import main
from vitrina.config import Settings, load_settings
from vitrina.errors import ConfigError
from vitrina.ingest import run_ingest

SEED_STATUSES = [
    "Pending",
    "Completed",
    "Canceled",
    "Processing",
    "Shipped",
    "Delivered",
    "Returned",
    "Failed",
]


def _folder(root: Path, **changes: Any) -> Path:
    """The shop with ``changes`` applied to its first order; each entity one JSON-lines file."""
    shop = shop_rows()
    shop["orders"][0] = {**shop["orders"][0], **changes}
    for entity, rows in shop.items():
        write_jsonl(root / entity / f"{entity}.jsonl", rows)
    return root


def _with(settings: Settings, **ingest: Any) -> Settings:
    return settings.with_overrides(ingest=ingest)


def test_seed_statuses_are_accepted_one_spelling_each(settings: Settings, tmp_path: Path) -> None:
    shop = shop_rows()
    template = shop["orders"][1]  # one line of 19.00 each
    shop["orders"] = [
        {**template, "order_id": 200 + i, "status": s} for i, s in enumerate(SEED_STATUSES)
    ]
    shop["order_details"] = [
        {**shop["order_details"][2], "order_detail_id": 2000 + i, "order_id": 200 + i}
        for i in range(len(SEED_STATUSES))
    ]
    shop["orders"].append({**template, "order_id": 300, "status": " CANCELLED "})
    shop["order_details"].append({**shop["order_details"][0], "order_detail_id": 3000})
    shop["order_details"][-1].update(
        order_id=300, quantity=1, price_per_unit="18.00", total_price="18.00"
    )
    shop["orders"][-1]["total_amount"] = "18.00"
    for entity, rows in shop.items():
        write_jsonl(tmp_path / "x" / entity / f"{entity}.jsonl", rows)
    report = run_ingest(settings, from_dir=tmp_path / "x")
    assert report.counts("orders").quarantined == 0
    got = rows_of(settings, "select order_id, status from clean.orders order by order_id")
    assert [r["status"] for r in got] == [
        "pending",
        "completed",
        "cancelled",
        "processing",
        "shipped",
        "delivered",
        "returned",
        "failed",
        "cancelled",
    ]


def test_status_map_from_the_profile(settings: Settings, tmp_path: Path) -> None:
    root = _folder(tmp_path / "x", status="Awaiting payment")
    report = run_ingest(settings, from_dir=root)
    assert report.counts("orders").quarantined == 1  # unknown without a map
    mapped = _with(settings, status_map={"Awaiting payment": "pending", "Gone": "canceled"})
    report = run_ingest(mapped, from_dir=root)
    assert report.counts("orders").quarantined == 0
    got = rows_of(settings, "select status from clean.orders where order_id = 100")
    assert got == [{"status": "pending"}]


def test_status_map_in_toml_and_environment(tmp_path: Path) -> None:
    toml = tmp_path / "vitrina.toml"
    toml.write_text('[ingest]\nstatus_map = { "Awaiting" = "pending", "Done" = "Completed" }\n')
    s = load_settings(config=toml, environ={}, cwd=tmp_path)
    assert s.ingest.status_map == {"awaiting": "pending", "done": "completed"}
    env = {"VITRINA_INGEST_STATUS_MAP": "On hold=pending, Closed=delivered"}
    s = load_settings(environ=env, cwd=tmp_path)
    assert s.ingest.status_map == {"on hold": "pending", "closed": "delivered"}
    toml.write_text('[ingest]\nstatus_map = { "Awaiting" = "lost" }\n')
    with pytest.raises(ConfigError, match="lost not in pending"):
        load_settings(config=toml, environ={}, cwd=tmp_path)


def test_zoneless_timestamps_only_with_naive_as_utc(settings: Settings, tmp_path: Path) -> None:
    root = _folder(tmp_path / "x", order_date="2026-11-01 10:00:00")
    assert run_ingest(settings, from_dir=root).counts("orders").quarantined == 1
    report = run_ingest(_with(settings, naive_as_utc=True), from_dir=root)
    assert report.counts("orders").quarantined == 0
    got = rows_of(settings, "select cast(order_date as varchar) as t from clean.orders")
    assert sorted(r["t"] for r in got) == ["2026-11-01 10:00:00", "2026-11-02 10:00:00"]


def test_money_float_noise_rounded_only_with_round_money(
    settings: Settings, tmp_path: Path
) -> None:
    shop = shop_rows()
    shop["order_details"][0].update(price_per_unit=18.000000001, total_price="35.995")
    shop["order_details"][1].update(total_price="18.99999999")
    for entity, rows in shop.items():
        write_jsonl(tmp_path / "x" / entity / f"{entity}.jsonl", rows)
    report = run_ingest(settings, from_dir=tmp_path / "x")
    assert report.counts("order_details").quarantined == 2
    report = run_ingest(_with(settings, round_money=True), from_dir=tmp_path / "x")
    assert report.counts("order_details").quarantined == 0
    got = rows_of(
        settings,
        "select price_per_unit, total_price from clean.order_details where order_id = 100 "
        "order by order_detail_id",
    )
    assert [(str(r["price_per_unit"]), str(r["total_price"])) for r in got] == [
        ("18.00", "36.00"),  # 35.995 rounds half up
        ("19.00", "19.00"),
    ]


NORTHWIND_MAPPING = """
surrogate_keys = ["user_id"]

[entities]
customers = "users"
"order details" = "order_details"

[columns.users]
CustomerID = "user_id"
ContactFirst = "first_name"
ContactLast = "last_name"
Email = "email"
Phone = "phone"
Since = "registration_date"
Tier = "loyalty_status"

[columns.orders]
OrderID = "order_id"
CustomerID = "user_id"
OrderDate = "order_date"
Total = "total_amount"
Status = "status"
ShippedDate = "delivery_date"
"""


def _northwind(root: Path, customers: list[str]) -> Path:
    """Customers with text ids (CSV), their orders keyed by them (JSON Lines), names to map."""
    shop = shop_rows()
    users = []
    for i, cid in enumerate(customers):
        u = shop["users"][i % 2]
        users.append(
            {
                "CustomerID": cid,
                "ContactFirst": u["first_name"],
                "ContactLast": u["last_name"],
                "Email": f"{cid.lower()}@example.com",
                "Phone": u["phone"],
                "Since": "2026-01-01",
                "Tier": "Silver",
            }
        )
    write_csv(root / "Customers.csv", users)
    orders = [
        {
            "OrderID": o["order_id"],
            "CustomerID": customers[i],
            "OrderDate": o["order_date"],
            "Total": o["total_amount"],
            "Status": o["status"].title(),
            "ShippedDate": o["delivery_date"],
        }
        for i, o in enumerate(shop["orders"])
    ]
    write_jsonl(root / "orders" / "orders.jsonl", orders)
    write_csv(root / "Order Details.csv", shop["order_details"])
    for entity in ("categories", "products"):
        write_jsonl(root / entity / f"{entity}.jsonl", shop[entity])
    return root


def test_mapping_file_renames_and_keeps_surrogate_keys(settings: Settings, tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(NORTHWIND_MAPPING)
    mapped = _with(settings, mapping=str(mapping))
    root = _northwind(tmp_path / "nw", ["ALFKI", "ANATR"])
    report = run_ingest(mapped, from_dir=root)
    assert report.counts("users").loaded == 2 and report.counts("orders").loaded == 2
    assert report.counts("order_details").loaded == 3 and report.unused == ()
    keys = rows_of(settings, "select * from clean.surrogate_keys order by surrogate_id")
    assert keys == [
        {"key_space": "user_id", "source_id": "ALFKI", "surrogate_id": 1},
        {"key_space": "user_id", "source_id": "ANATR", "surrogate_id": 2},
    ]
    orders = rows_of(settings, "select order_id, user_id from clean.orders order by 1")
    assert orders == [{"order_id": 100, "user_id": 1}, {"order_id": 101, "user_id": 2}]
    raw = rows_of(settings, "select user_id from raw.users order by _line")
    assert raw == [{"user_id": "ALFKI"}, {"user_id": "ANATR"}]  # raw keeps what was read
    # A later export in another order: the same customers keep their keys, a new one is added.
    root2 = _northwind(tmp_path / "nw2", ["BERGS", "ALFKI"])
    run_ingest(mapped, from_dir=root2)
    keys = rows_of(settings, "select source_id, surrogate_id from clean.surrogate_keys order by 2")
    assert [(k["source_id"], k["surrogate_id"]) for k in keys] == [
        ("ALFKI", 1),
        ("ANATR", 2),
        ("BERGS", 3),
    ]
    orders = rows_of(settings, "select order_id, user_id from clean.orders order by 1")
    assert orders == [{"order_id": 100, "user_id": 3}, {"order_id": 101, "user_id": 1}]


def test_bad_mapping_file_is_bad_usage(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[columns.orders]\nOrderID = "order_number"\n')
    toml = tmp_path / "vitrina.toml"
    toml.write_text(f'[ingest]\nmapping = "{mapping}"\n')
    root = _folder(tmp_path / "x")
    code = main(
        ["--config", str(toml), "--data-dir", str(settings.data_dir), "ingest", "--from", str(root)]
    )
    assert code == 2
    assert "order_number not fields of orders" in capsys.readouterr().err
    assert not (settings.data_dir / "warehouse.duckdb").exists()
