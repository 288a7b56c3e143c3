"""The simulated world keeps every contract and business invariant, at two scales."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tests.support.simulation import START_MS, Sim
from vitrina.contracts import parse_jsonl, validate_table, validate_world
from vitrina.simulate.presets import PRESETS
from vitrina.simulate.shop.world import build_history

SCALES = ["tiny_day", "classic_day"]


@pytest.fixture(params=SCALES)
def sim(request: pytest.FixtureRequest) -> Sim:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


@pytest.mark.parametrize("scale", ["tiny", "classic"])
def test_history_has_the_preset_counts(scale: str) -> None:
    p = PRESETS[scale]
    w = build_history(p, 1, START_MS, START_MS + 86_400_000)
    assert len(w.users["user_id"]) == p.users
    assert len(w.categories["category_id"]) == p.categories
    assert len(w.products["product_id"]) == p.products
    assert len(w.orders["order_id"]) == p.orders
    assert len(w.reviews["review_id"]) == p.reviews
    assert len(w.loyalty_points["loyalty_id"]) == p.loyalty_points
    per_order = np.bincount(w.order_details["order_id"])[1:]
    assert per_order.min() >= 1 and per_order.max() <= 10


def test_classic_is_the_course_default() -> None:
    p = PRESETS["classic"]
    assert (p.users, p.categories, p.products, p.orders, p.reviews, p.loyalty_points) == (
        500,
        20,
        800,
        3000,
        2000,
        3000,
    )


def test_every_table_passes_its_contract(sim: Sim) -> None:
    checked = validate_world(sim.tables)
    for name, v in checked.items():
        assert v.invalid.height == 0, (name, v.invalid.head(3).to_dicts())
        assert v.valid.height == sim.tables[name].height


@pytest.mark.parametrize("topic", ["clicks", "registrations"])
def test_every_event_passes_its_contract(sim: Sim, topic: str) -> None:
    parsed = parse_jsonl(sim.topic_bytes(topic), topic, origin=topic)
    assert parsed.bad.height == 0
    v = validate_table(topic, parsed.frame)
    assert v.invalid.height == 0
    assert v.valid.height == sim.report.events[topic]


def test_categories_are_a_two_level_hierarchy(sim: Sim) -> None:
    c = sim.tables["categories"]
    tops = c.filter(pl.col("parent_category_id").is_null())["category_id"]
    subs = c.filter(pl.col("parent_category_id").is_not_null())
    assert tops.len() >= 2 and subs.height >= tops.len()
    assert subs["parent_category_id"].is_in(tops.implode()).all()
    # products hang off sub-categories only
    assert sim.tables["products"]["category_id"].is_in(subs["category_id"].implode()).all()


def test_orders_add_up_and_prices_match_products(sim: Sim) -> None:
    o, d, p = sim.tables["orders"], sim.tables["order_details"], sim.tables["products"]
    sums = d.group_by("order_id").agg(pl.col("total_price").sum().alias("lines"))
    joined = o.join(sums, on="order_id", how="left")
    assert joined["lines"].null_count() == 0
    assert (joined["total_amount"] == joined["lines"]).all()  # exact, in decimals
    assert (d["total_price"] == d["price_per_unit"] * d["quantity"]).all()
    priced = d.join(p.select("product_id", "price"), on="product_id")
    assert (priced["price_per_unit"] == priced["price"]).all()


def test_dates_follow_each_other(sim: Sim) -> None:
    o = sim.tables["orders"].join(
        sim.tables["users"].select("user_id", "registration_date"), on="user_id"
    )
    assert (o["order_date"] >= o["registration_date"]).all()
    delivered = o.filter(pl.col("delivery_date").is_not_null())
    assert (delivered["delivery_date"] > delivered["order_date"]).all()
    assert set(delivered["status"]) == {"delivered"}
    assert set(o["status"]) <= {"pending", "paid", "shipped", "delivered", "cancelled"}


def test_reviews_are_of_bought_and_delivered_products(sim: Sim) -> None:
    o, d, r = sim.tables["orders"], sim.tables["order_details"], sim.tables["reviews"]
    bought = (
        d.join(o, on="order_id")
        .group_by("user_id", "product_id")
        .agg(pl.col("delivery_date").min())
    )
    rv = r.join(bought, on=["user_id", "product_id"], how="left")
    assert rv["delivery_date"].null_count() == 0
    assert (rv["created_at"] > rv["delivery_date"]).all()
    assert r.select(pl.struct("user_id", "product_id").is_unique().all()).item()


def test_loyalty_points_come_from_paid_orders_and_promotions(sim: Sim) -> None:
    lp, u = sim.tables["loyalty_points"], sim.tables["users"]
    assert set(lp["reason"]) <= {"order", "promotion", "birthday", "referral"}
    assert (lp["points"] > 0).all()
    joined = lp.join(u.select("user_id", "registration_date"), on="user_id")
    assert joined.height == lp.height
    assert (
        joined.filter(pl.col("reason") != "order")["created_at"]
        >= joined.filter(pl.col("reason") != "order")["registration_date"]
    ).all()


def test_unique_emails_and_registrations_match_users(sim: Sim) -> None:
    u = sim.tables["users"]
    assert u["email"].is_unique().all()
    reg = validate_table(
        "registrations", parse_jsonl(sim.topic_bytes("registrations"), "registrations", "r").frame
    ).valid
    assert reg["user_id"].is_in(u["user_id"].implode()).all()
    assert reg["user_id"].min() > 0


def test_purchases_become_orders_of_known_users_and_products(classic_day: Sim) -> None:
    clicks = validate_table(
        "clicks", parse_jsonl(classic_day.topic_bytes("clicks"), "clicks", "c").frame
    ).valid
    u, p, o = (
        classic_day.tables["users"],
        classic_day.tables["products"],
        classic_day.tables["orders"],
    )
    assert clicks["user_id"].is_in(u["user_id"].implode()).all()
    assert clicks["product_id"].is_in(p["product_id"].implode()).all()
    live_orders = o.filter(
        pl.col("order_date") >= pl.lit(START_MS * 1000).cast(pl.Datetime("us", "Etc/UTC"))
    )
    purchase_sessions = clicks.filter(pl.col("event_type") == "purchase")["session_id"].n_unique()
    assert live_orders.height == purchase_sessions > 0
    # the funnel narrows: views > clicks > add_to_cart > purchase
    counts = dict(clicks.group_by("event_type").len().iter_rows())
    assert counts["view"] > counts["click"] > counts["add_to_cart"] > counts["purchase"]


def test_popularity_is_skewed_and_traffic_follows_the_day(classic_day: Sim) -> None:
    clicks = validate_table(
        "clicks", parse_jsonl(classic_day.topic_bytes("clicks"), "clicks", "c").frame
    ).valid
    per_product = clicks.group_by("product_id").len().sort("len", descending=True)["len"].to_numpy()
    top_decile = per_product[: len(per_product) // 10].sum() / per_product.sum()
    assert top_decile > 0.3  # Zipf-like: the top 10% of products draw far more than 10%
    by_hour = clicks.group_by(pl.col("ts").dt.hour()).len().sort("ts")
    hours = dict(by_hour.iter_rows())
    assert hours[20] > 2 * hours[8]  # evening peak vs morning trough (UTC)
