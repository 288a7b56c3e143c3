"""Contracts of money: ads and their impressions and clicks, sponsorships, donations, payments."""

from __future__ import annotations

from vitrina.contracts.base import Contract, Ref
from vitrina.contracts.social.rowrules import after, not_self
from vitrina.contracts.social.targets import ADS, USERS
from vitrina.contracts.types import DateOrTimestamp, Money, Name, PositiveId, Timestamp

__all__ = ["Ad", "AdClick", "AdImpression", "Donation", "Sponsorship", "SubscriptionPayment"]

_AD_USER = (Ref("ad_id", ADS), Ref("user_id", USERS))


class Ad(Contract):
    """An ad campaign of an advertiser (a user), with its budget."""

    entity = "social_ads"
    domain = "social"
    primary_key = "ad_id"
    references = (Ref("advertiser_id", USERS),)

    ad_id: PositiveId
    advertiser_id: PositiveId
    name: Name
    budget: Money
    created_at: Timestamp


class AdImpression(Contract):
    """An ad was shown to a user (an event)."""

    entity = "social_ad_impressions"
    domain = "social"
    entity_kind = "event"
    primary_key = "impression_id"
    references = _AD_USER

    impression_id: PositiveId
    ad_id: PositiveId
    user_id: PositiveId
    ts: Timestamp


class AdClick(Contract):
    """A user clicked an ad (an event)."""

    entity = "social_ad_clicks"
    domain = "social"
    entity_kind = "event"
    primary_key = "click_id"
    references = _AD_USER

    click_id: PositiveId
    ad_id: PositiveId
    user_id: PositiveId
    ts: Timestamp


class Sponsorship(Contract):
    """A sponsor pays a creator over a period (``end_date`` on or after ``start_date``)."""

    entity = "social_sponsorships"
    domain = "social"
    primary_key = "sponsorship_id"
    references = (Ref("sponsor_id", USERS), Ref("creator_id", USERS))
    row_rules = (
        not_self("creator_id", "sponsor_id", "no self-sponsorship"),
        after("end_date", "start_date", strict=False),
    )

    sponsorship_id: PositiveId
    sponsor_id: PositiveId
    creator_id: PositiveId
    amount: Money
    start_date: DateOrTimestamp
    end_date: DateOrTimestamp


class Donation(Contract):
    """A user gives money to another."""

    entity = "social_donations"
    domain = "social"
    primary_key = "donation_id"
    references = (Ref("from_user_id", USERS), Ref("to_user_id", USERS))
    row_rules = (not_self("to_user_id", "from_user_id", "no self-donation"),)

    donation_id: PositiveId
    from_user_id: PositiveId
    to_user_id: PositiveId
    amount: Money
    created_at: Timestamp


class SubscriptionPayment(Contract):
    """A subscriber's payment to a creator for a subscription."""

    entity = "social_subscription_payments"
    domain = "social"
    primary_key = "payment_id"
    references = (Ref("subscriber_id", USERS), Ref("creator_id", USERS))
    row_rules = (not_self("creator_id", "subscriber_id", "no self-subscription"),)

    payment_id: PositiveId
    subscriber_id: PositiveId
    creator_id: PositiveId
    amount: Money
    paid_at: Timestamp
