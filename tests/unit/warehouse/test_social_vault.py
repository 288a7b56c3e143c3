"""The social Data Vault and star on DuckDB, built by dbt from simulated clean.social_* tables.

One module-wide sequence of three dbt builds: the first load, the same data again (adds no
row), then changed data (adds exactly the changes).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from tests.support.social_vault import (
    changed_world,
    expected_hash_diffs,
    hash_diffs,
    layer_counts,
    md5_of,
    star_agrees_with_vault,
)
from tests.support.social_warehouse import load_social, social_clean_tables
from vitrina.config import Settings, load_settings
from vitrina.pipelines import graph as graph_job
from vitrina.warehouse import open_warehouse
from vitrina.warehouse.transform import TransformReport, run_transform

VAULT, STAR = "path:models/social/vault", "path:models/social/star"


@dataclass
class Built:
    settings: Settings
    clean: dict[str, pa.Table]
    reports: list[TransformReport]
    first: dict[str, int]
    again: dict[str, int]
    changed: dict[str, int]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("social-vault")
    settings = load_settings(data_dir=root, environ={}, cwd=root)
    clean = social_clean_tables(hours=8)
    url = settings.backend("warehouse")
    with open_warehouse(url) as wh:
        load_social(wh, clean)
    graph_job.run(settings)  # the social marts read its tables
    reports = [run_transform(settings)]
    with open_warehouse(url) as wh:
        first = layer_counts(wh)
    # The reloads build the vault and the star only: staging and its tests are already done.
    reports.append(run_transform(settings, select=VAULT))
    with open_warehouse(url) as wh:
        again = layer_counts(wh)
        load_social(wh, changed_world(clean))
    reports.append(run_transform(settings, select=f"{VAULT} {STAR}"))
    with open_warehouse(url) as wh:
        changed = layer_counts(wh)
    yield Built(settings, clean, reports, first, again, changed)


def _query(built: Built, sql: str) -> list[tuple[object, ...]]:
    with open_warehouse(built.settings.backend("warehouse")) as wh:
        t = wh.query_arrow(sql)
    return list(zip(*(c.to_pylist() for c in t.columns), strict=True))


def test_social_only_data_builds_the_social_models_and_their_tests(built: Built) -> None:
    first = built.reports[0]
    # only the social models: 68 vault tables, 12 star tables, 9 marts (staging is inlined)
    assert first.models == 68 + 12 + 9  # vault, star, social marts (staging is ephemeral)
    assert first.tests_failed == 0 and first.tests_passed > 100


def test_reloading_the_same_data_adds_no_row(built: Built) -> None:
    vault = {k: v for k, v in built.first.items() if k.startswith("vault.")}
    assert len(vault) == 68
    assert {k: built.again[k] for k in vault} == vault
    assert built.first["vault.hub_user"] == built.clean["social_users"].num_rows


def test_the_vault_holds_every_clean_record(built: Built) -> None:
    c, counts = built.clean, built.first
    pairs = {
        "hub_post": "social_posts",
        "hub_comment": "social_comments",
        "hub_community": "social_communities",
        "link_friendship": "social_friendships",
        "link_follow": "social_follows",
        "link_view": "social_views",
        "link_ad_impression": "social_ad_impressions",
        "link_donation": "social_donations",
        "sat_user_status": "social_user_status",
        "eff_sat_membership": "social_community_members",
        "eff_sat_friendship": "social_friendships",
    }
    assert {v: counts[f"vault.{v}"] for v in pairs} == {v: c[t].num_rows for v, t in pairs.items()}
    assert counts["vault.link_view"] > 0 and counts["vault.hub_post"] > 0


def test_hash_keys_and_diffs_are_md5_of_the_normalised_values(built: Built) -> None:
    users = _query(built, "select user_id, user_hk from vault.hub_user")
    assert users and all(hk == md5_of(uid) for uid, hk in users)
    links = _query(
        built,
        "select a.user_id, b.user_id, l.link_friendship_hk from vault.link_friendship l"
        " join vault.hub_user a on a.user_hk = l.user_hk"
        " join vault.hub_user b on b.user_hk = l.friend_hk",
    )
    assert links and all(hk == md5_of(u, f) for u, f, hk in links)
    with open_warehouse(built.settings.backend("warehouse")) as wh:
        got = hash_diffs(wh)
    # the vault holds the versions of both loads: the first data and the changed data
    first, second = (
        expected_hash_diffs(built.clean),
        expected_hash_diffs(changed_world(built.clean)),
    )
    assert got == {sat: first[sat] | second[sat] for sat in first}


def test_star_agrees_with_the_vault(built: Built) -> None:
    with open_warehouse(built.settings.backend("warehouse")) as wh:
        got, want = star_agrees_with_vault(wh)
    assert got == want
    assert want["posts"][0] > 0 and want["views"][0] > 0


def test_star_agrees_with_the_clean_tables(built: Built) -> None:
    c = built.clean
    paid = {
        kind: pc.sum(c[t].column("amount")).as_py()
        for kind, t in (
            ("subscription", "social_subscription_payments"),
            ("donation", "social_donations"),
            ("sponsorship", "social_sponsorships"),
        )
    }
    got = dict(
        _query(built, "select payment_kind, sum(amount) from star.fct_social_payments group by 1")
    )
    assert got == {k: v for k, v in paid.items() if v is not None}
    pairs = {
        (p, u)
        for p, u in zip(
            *(c["social_reactions"].column(x).to_pylist() for x in ("post_id", "user_id")),
            strict=True,
        )
    }
    (n,) = _query(built, "select count(*) from star.fct_social_reactions")[0]
    assert n == len(pairs)


def test_changed_data_adds_exactly_the_changes(built: Built) -> None:
    grew = {
        k: built.changed[k] - built.again[k]
        for k in built.again
        if built.changed[k] != built.again[k]
    }
    assert grew == {
        "vault.sat_user": 1,  # one user moved country
        "vault.eff_sat_friendship": 1,  # one friendship ended: its period is closed
        "vault.eff_sat_membership": 1,  # one member left
    }
    (country,) = _query(built, "select country from star.dim_social_users where user_id = 1")[0]
    assert country == "ZZ"
    ended = _query(built, "select count(*) from vault.eff_sat_friendship where end_at is not null")
    assert ended == [(1,)]
