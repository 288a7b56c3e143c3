"""Scale presets: the world's history before --start, and the rates of live activity after it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PRESETS", "Preset"]


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
