"""Money in the social network: ads with impressions and clicks, sponsorships, donations, paid follows.

Ads are shown in proportion to their budget, to users in proportion to their activity, along
the daily cycle; each ad has its own click-through rate (Beta, about 1.5 %). Creators with the
most followers draw subscriptions (a few of their followers pay monthly, by tier),
sponsorships from advertisers, and donations.
"""

from __future__ import annotations

import numpy as np

from vitrina.simulate.base import DAY_MS, Table
from vitrina.simulate.presets import SocialPreset
from vitrina.simulate.rng import stream
from vitrina.simulate.social.content import times_in
from vitrina.simulate.social.people import People, pairs_after, unique_pairs, weighted
from vitrina.simulate.social.vocab import TIER_CENTS

__all__ = ["ad_hour", "build_money"]

_MONTH_MS = 30 * DAY_MS


def build_money(
    p: SocialPreset, people: People, seed: int, start_ms: int, end_ms: int
) -> dict[str, Table]:
    """Ads, subscriptions and their payments, sponsorships and donations up to ``end_ms``."""
    rng = stream(seed, "social", "money")
    n = people.n
    k = max(p.ads, 1)
    advertiser = rng.integers(0, n, k)
    ads = {
        "advertiser": advertiser,
        "budget_cents": (rng.lognormal(np.log(50_000), 1.0, k) // 100 * 100).astype(np.int64),
        "created_ms": pairs_after(rng, people.created_ms[advertiser], start_ms),
        "ctr": rng.beta(2.0, 130.0, k),
    }
    followers = np.bincount(people.follows["followee_id"] - 1, minlength=n)
    # Paid follows: about 2 % of follows of the creators with the most followers.
    fr, fe = people.follows["follower_id"] - 1, people.follows["followee_id"] - 1
    creator = followers >= np.quantile(followers, 0.95)
    paid = creator[fe] & (rng.random(len(fe)) < 0.02)
    sub_t = pairs_after(rng, people.follows["created_ms"][paid], end_ms)
    tier = np.searchsorted([0.6, 0.9], rng.random(paid.sum()), side="right").astype(np.int8)
    subs = {"subscriber": fr[paid], "creator": fe[paid], "tier": tier, "created_ms": sub_t}
    months = (end_ms - 1 - sub_t) // _MONTH_MS + 1  # a payment on sign-up, then monthly
    row = np.repeat(np.arange(len(sub_t)), months)
    nth = np.arange(len(row)) - np.repeat(np.cumsum(months) - months, months)
    pay_t = sub_t[row] + nth * _MONTH_MS
    order = np.argsort(pay_t, kind="stable")
    payments = {
        "subscriber": subs["subscriber"][row][order],
        "creator": subs["creator"][row][order],
        "amount_cents": np.asarray(TIER_CENTS, dtype=np.int64)[tier[row]][order],
        "paid_ms": pay_t[order],
    }
    top = np.flatnonzero(creator)
    m = max(k // 2, 1)
    sponsor = advertiser[rng.integers(0, k, m)]
    s_creator = top[rng.integers(0, len(top), m)]
    keep = sponsor != s_creator
    s_start = start_ms - rng.integers(0, 120, m) * DAY_MS
    s_start = s_start - s_start % DAY_MS
    sponsorships = {
        "sponsor": sponsor[keep],
        "creator": s_creator[keep],
        "amount_cents": (rng.lognormal(np.log(100_000), 0.8, m) // 100 * 100).astype(np.int64)[
            keep
        ],
        "start_ms": s_start[keep],
        "end_ms": (s_start + rng.integers(7, 180, m) * DAY_MS)[keep],
    }
    d = int(rng.poisson(n * 0.02 * p.history_days / 30))
    giver, receiver = rng.integers(0, n, d), top[rng.integers(0, len(top), d)]
    keep = giver != receiver
    giver, receiver = giver[keep], receiver[keep]
    d_t = np.sort(
        pairs_after(rng, np.maximum(people.created_ms[giver], people.created_ms[receiver]), end_ms)
    )
    donations = {
        "from": giver,
        "to": receiver,
        "amount_cents": np.maximum(
            rng.lognormal(np.log(500), 1.0, len(giver)).astype(np.int64), 100
        ),
        "created_ms": d_t,
    }
    first = unique_pairs(subs["subscriber"], subs["creator"])
    subs = {key: v[first] for key, v in subs.items()}
    return {
        "ads": ads,
        "subscriptions": subs,
        "subscription_payments": payments,
        "sponsorships": sponsorships,
        "donations": donations,
    }


def ad_hour(
    rng: np.random.Generator, p: SocialPreset, people: People, ads: Table, t0: int, t1: int
) -> tuple[Table, Table]:
    """The hour's impressions and the clicks on them (indices of ads and users)."""
    t = times_in(rng, people.n * p.impressions_per_user_day / DAY_MS, t0, t1)
    live = ads["created_ms"] < t0
    weight = np.where(live, ads["budget_cents"], 0).astype(np.float64)
    if weight.sum() == 0:
        t = t[:0]
        weight[:] = 1.0
    cum_ad, cum_user = np.cumsum(weight), people.activity_cum
    ad = weighted(rng, cum_ad, len(t))
    user = weighted(rng, cum_user, len(t))
    click = rng.random(len(t)) < ads["ctr"][ad]
    c_t = t[click] + rng.exponential(8_000, click.sum()).astype(np.int64) + 500
    return {"ad": ad, "user": user, "t": t}, {"ad": ad[click], "user": user[click], "t": c_t}
