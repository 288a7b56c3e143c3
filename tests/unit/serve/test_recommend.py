"""The recommendation rule on hand-made inputs with known answers."""

from __future__ import annotations

import random

import pyarrow as pa

from vitrina.serve.recommend import recommend


def _clicks(rows: list[tuple[int, int, int]]) -> pa.Table:
    return pa.table(
        {
            "user_id": pa.array([r[0] for r in rows], pa.int64()),
            "category_id": pa.array([r[1] for r in rows], pa.int64()),
            "clicks": pa.array([r[2] for r in rows], pa.int64()),
        }
    )


def _bought(rows: list[tuple[int, int]]) -> pa.Table:
    return pa.table(
        {
            "user_id": pa.array([r[0] for r in rows], pa.int64()),
            "product_id": pa.array([r[1] for r in rows], pa.int64()),
        }
    )


# product_id, category_id, clicks, units_ordered
_PRODUCTS = pa.table(
    {
        "product_id": [1, 2, 3, 4, 5, 6, 7],
        "category_id": [10, 10, 10, 20, 20, 30, 40],
        "clicks": [10, 0, 5, 1, 1, 100, 0],
        "units_ordered": [0, 10, 0, 0, 0, 0, 0],
    }
)
# popularity = 0.7 clicks + 0.3 units: 1 -> 7, 2 -> 3, 3 -> 3.5, 4 -> 0.7, 5 -> 0.7, 6 -> 70, 7 -> 0


def _as_lists(table: pa.Table) -> dict[int, list[tuple[int, float]]]:
    out: dict[int, list[tuple[int, float]]] = {}
    for row in table.to_pylist():
        out.setdefault(row["user_id"], []).append((row["product_id"], row["score"]))
        assert row["rank"] == len(out[row["user_id"]])
    return out


def test_favourite_categories_weighted_by_popularity_excluding_purchases() -> None:
    clicks = _clicks([(1, 10, 2), (1, 20, 3), (1, 30, 0), (2, 40, 1)])
    got = _as_lists(recommend(clicks, _bought([(1, 1)]), _PRODUCTS))
    # user 1: category 20 (3 clicks) -> 4, 5 at 3 x 0.7 = 2.1 (tie: lower id first);
    # category 10 (2 clicks) -> 3 at 7.0, 2 at 6.0; product 1 was bought; 30 has 0 clicks.
    assert got[1] == [(3, 7.0), (2, 6.0), (4, 2.1), (5, 2.1)]
    # user 2 clicked an unpopular category: its products still come, with score 0.
    assert got[2] == [(7, 0.0)]


def test_only_the_top_categories_count_and_ties_go_to_the_lower_category_id() -> None:
    clicks = _clicks([(1, 10, 1), (1, 20, 1), (1, 30, 1)])
    got = _as_lists(recommend(clicks, _bought([]), _PRODUCTS, top_categories=2))
    assert {p for p, _ in got[1]} == {1, 2, 3, 4, 5}  # categories 10 and 20, not 30


def test_per_user_limit_and_weights() -> None:
    clicks = _clicks([(5, 10, 1)])
    got = _as_lists(
        recommend(clicks, _bought([]), _PRODUCTS, per_user=2, click_weight=0.0, units_weight=1.0)
    )
    assert got[5] == [(2, 10.0), (1, 0.0)]


def test_users_without_clicks_or_with_everything_bought_get_nothing() -> None:
    clicks = _clicks([(1, 40, 4)])
    out = recommend(clicks, _bought([(1, 7)]), _PRODUCTS)
    assert out.num_rows == 0
    assert out.schema.field("product_id").type == pa.int64()
    assert recommend(_clicks([]), _bought([]), _PRODUCTS).num_rows == 0


def _brute_force(
    clicks: list[tuple[int, int, int]],
    bought: set[tuple[int, int]],
    products: list[tuple[int, int, int, int]],
    per_user: int,
) -> dict[int, list[int]]:
    """The rule scored over every product of every favourite category (no depth cut)."""
    out: dict[int, list[int]] = {}
    for user in sorted({u for u, _, _ in clicks}):
        favourites = sorted((-n, c) for u, c, n in clicks if u == user and n > 0)[:3]
        scored = [
            (-(-minus_n * (0.7 * pc + 0.3 * units)), pid)  # score descending, then product_id
            for minus_n, cat in favourites
            for pid, pcat, pc, units in products
            if pcat == cat and (user, pid) not in bought
        ]
        if scored:
            out[user] = [pid for _, pid in sorted(scored)[:per_user]]
    return out


def test_the_depth_cut_gives_what_scoring_every_product_gives() -> None:
    # Many equal popularities and many purchases in the favourite categories: the cases where
    # looking only per_user + bought deep into a category could go wrong.
    rng = random.Random(7)
    products = [(p, rng.randrange(4), rng.randrange(4), rng.randrange(3)) for p in range(1, 80)]
    clicks = [
        (u, c, rng.randrange(4)) for u in range(1, 40) for c in range(4) if rng.random() < 0.7
    ]
    bought = {(u, p) for u in range(1, 40) for p in range(1, 80) if rng.random() < 0.15}
    names = ("product_id", "category_id", "clicks", "units_ordered")
    got = recommend(
        _clicks(clicks),
        _bought(sorted(bought)),
        pa.table({name: [p[i] for p in products] for i, name in enumerate(names)}),
        per_user=4,
    )
    by_user: dict[int, list[int]] = {}
    for row in got.to_pylist():
        by_user.setdefault(row["user_id"], []).append(row["product_id"])
    assert by_user == _brute_force(clicks, bought, products, per_user=4)
    assert len(by_user) > 20
