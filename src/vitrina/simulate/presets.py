"""Scale presets: the world's history before --start, and the rates of live activity after it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PRESETS", "SOCIAL_PRESETS", "Preset", "SocialPreset"]


@dataclass(frozen=True)
class Preset:
    """A world size. History counts are exact; live rates are per simulated day (mean)."""

    name: str
    users: int
    top_categories: int
    categories: int
    products: int
    orders: int
    reviews: int
    loyalty_points: int
    history_days: int
    sessions_per_day: int
    registrations_per_day: int
    promotions_per_day: int


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("tiny", 50, 2, 6, 40, 120, 60, 100, 60, 200, 5, 5),
        # The original course defaults.
        Preset("classic", 500, 5, 20, 800, 3_000, 2_000, 3_000, 365, 4_000, 20, 30),
        Preset("medium", 20_000, 10, 60, 10_000, 100_000, 50_000, 100_000, 365, 100_000, 400, 500),
        Preset(
            "large",
            1_000_000,
            20,
            200,
            100_000,
            3_000_000,
            1_000_000,
            3_000_000,
            730,
            2_000_000,
            10_000,
            20_000,
        ),
        Preset(
            "xlarge",
            5_000_000,
            30,
            400,
            500_000,
            15_000_000,
            5_000_000,
            15_000_000,
            730,
            10_000_000,
            50_000,
            100_000,
        ),
    )
}


@dataclass(frozen=True)
class SocialPreset:
    """A social network's size under the same preset name; rates are per user and day (mean)."""

    name: str
    users: int
    communities: int
    ads: int
    history_days: int
    avg_friends: float
    avg_follows: float
    posts_per_user_day: float
    sessions_per_user_day: float
    impressions_per_user_day: float


# The shop's presets keep their numbers; the social network has its own sizes per name.
SOCIAL_PRESETS: dict[str, SocialPreset] = {
    p.name: p
    for p in (
        SocialPreset("tiny", 300, 8, 5, 60, 12.0, 15.0, 0.5, 2.0, 4.0),
        SocialPreset("classic", 5_000, 60, 40, 365, 24.0, 40.0, 0.6, 3.0, 6.0),
        SocialPreset("medium", 100_000, 800, 400, 365, 30.0, 50.0, 0.6, 3.0, 6.0),
        SocialPreset("large", 1_000_000, 6_000, 3_000, 730, 30.0, 50.0, 0.5, 3.0, 6.0),
        SocialPreset("xlarge", 5_000_000, 25_000, 10_000, 730, 30.0, 50.0, 0.5, 3.0, 6.0),
    )
}
