"""Checks on the social vault and star shared by the DuckDB and PostgreSQL tests."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pyarrow as pa

from vitrina.warehouse import Warehouse

LAYERS = ("vault", "star")

# Per entity: (star query, vault query), each giving (rows, sum of a measure).
_AGREE = {
    "users": (
        "select count(*), sum(user_id) from star.dim_social_users",
        "select count(*), sum(user_id) from vault.hub_user",
    ),
    "posts": (
        "select count(*), sum(post_id) from star.fct_social_posts",
        "select count(*), sum(h.post_id) from vault.link_authored l"
        " join vault.hub_post h on h.post_hk = l.post_hk",
    ),
    "comments": (
        "select count(*), sum(case when is_reply then 1 else 0 end) from star.fct_social_comments",
        "select (select count(*) from vault.hub_comment), (select count(*) from vault.link_reply)",
    ),
    "shares": (
        "select count(*), sum(share_id) from star.fct_social_shares",
        "select count(*), sum(share_id) from vault.link_share",
    ),
    "views": (
        "select count(*), sum(view_id) from star.fct_social_views",
        "select count(*), sum(view_id) from vault.link_view",
    ),
    "memberships": (
        "select count(*), sum(case when is_current then 1 else 0 end) from star.fct_social_memberships",
        "select count(*), sum(case when left_at is null then 1 else 0 end) from ("
        " select left_at, row_number() over (partition by link_membership_hk, joined_at"
        " order by load_ts desc) as r from vault.eff_sat_membership) as v where r = 1",
    ),
    "ad_events": (
        "select count(*), sum(event_id) from star.fct_social_ad_events",
        "select (select count(*) from vault.link_ad_impression)"
        " + (select count(*) from vault.link_ad_click),"
        " (select coalesce(sum(impression_id), 0) from vault.link_ad_impression)"
        " + (select coalesce(sum(click_id), 0) from vault.link_ad_click)",
    ),
    "payments": (
        "select count(*), sum(amount) from star.fct_social_payments",
        "select count(*), sum(amount) from ("
        " select amount from vault.sat_subscription_payment"
        " union all select amount from vault.sat_donation"
        " union all select amount from vault.sat_sponsorship) as paid",
    ),
}


def _number(value: Any) -> Any:
    # Sums come back as int, Decimal or float depending on the engine: compare them as numbers.
    return None if value is None else round(float(value), 2)


def star_agrees_with_vault(
    wh: Warehouse,
) -> tuple[dict[str, tuple[Any, ...]], dict[str, tuple[Any, ...]]]:
    """Per entity, (rows, sum) in the star and in the vault: equal when the layers agree."""
    star, vault = {}, {}
    for entity, (star_sql, vault_sql) in _AGREE.items():
        for out, sql in ((star, star_sql), (vault, vault_sql)):
            # by position: PostgreSQL names every unnamed column alike
            result = wh.query_arrow(sql)
            out[entity] = tuple(_number(c[0].as_py()) for c in result.columns)
    return star, vault


def layer_counts(wh: Warehouse) -> dict[str, int]:
    """Rows of every table of the vault and star schemas, as ``schema.table``."""
    tables = wh.query_arrow(
        "select table_schema, table_name from information_schema.tables"
        " where table_schema in ('vault', 'star') order by 1, 2"
    ).to_pylist()
    return {
        f"{t['table_schema']}.{t['table_name']}": wh.table_rows(t["table_schema"], t["table_name"])
        for t in tables
    }


def _text(value: Any) -> str:
    """A value as the vault hashes it: SQL's text of the value, trimmed and upper-cased."""
    if value is None:
        return "^^"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        fraction = f"{value.microsecond:06d}".rstrip("0")
        return value.strftime("%Y-%m-%d %H:%M:%S") + (f".{fraction}" if fraction else "")
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value).strip().upper()


def md5_of(*values: Any) -> str:
    """The vault's hash of values: md5 of their normalised text joined with '||'."""
    return hashlib.md5("||".join(_text(v) for v in values).encode()).hexdigest()


# Satellites whose hash diffs the tests recompute from the clean table: (columns, table).
HASH_DIFFS = {
    "sat_user": (("username", "email", "country", "created_at"), "social_users"),
    "sat_donation": (("amount", "created_at"), "social_donations"),
    "sat_user_settings": (("language", "notifications_enabled"), "social_user_settings"),
}


def expected_hash_diffs(clean: dict[str, pa.Table]) -> dict[str, set[str]]:
    """Per satellite of :data:`HASH_DIFFS`, the hash diffs its clean table gives."""
    out = {}
    for sat, (columns, table) in HASH_DIFFS.items():
        rows = clean[table].select(list(columns)).to_pylist()
        out[sat] = {md5_of(*r.values()) for r in rows}
    return out


def hash_diffs(wh: Warehouse) -> dict[str, set[str]]:
    """Per satellite of :data:`HASH_DIFFS`, the hash diffs the vault holds."""
    return {
        sat: set(wh.query_arrow(f"select hash_diff from vault.{sat}").column(0).to_pylist())
        for sat in HASH_DIFFS
    }


def _replace(table: pa.Table, name: str, values: list[Any]) -> pa.Table:
    i = table.schema.get_field_index(name)
    return table.set_column(i, name, pa.array(values, table.schema.field(name).type))


def changed_world(clean: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """``clean`` with three changes: user 1 moves to country ZZ, the first friendship ends,
    the first current member of a community leaves a day after joining."""
    out = dict(clean)
    users = clean["social_users"]
    countries = users.column("country").to_pylist()
    ids = users.column("user_id").to_pylist()
    out["social_users"] = _replace(
        users, "country", ["ZZ" if i == 1 else c for i, c in zip(ids, countries, strict=True)]
    )
    out["social_friendships"] = clean["social_friendships"].slice(1)
    members = clean["social_community_members"]
    left = members.column("left_at").to_pylist()
    joined = members.column("joined_at").to_pylist()
    first = left.index(None)
    left[first] = joined[first] + timedelta(days=1)
    out["social_community_members"] = _replace(members, "left_at", left)
    return out
