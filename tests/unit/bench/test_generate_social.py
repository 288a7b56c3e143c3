"""``vitrina bench generate --domain social``: the simulator's payloads and the figures line."""

from __future__ import annotations

import orjson
import pytest

from vitrina.bench.generate_social import faker_social, social_payloads, vectorised_social
from vitrina.cli import main


def test_payloads_are_the_simulators_events() -> None:
    parts = list(social_payloads(5_000, scale="tiny"))
    assert {t for t, _, _ in parts} == {
        "social_views",
        "social_user_status",
        "social_ad_impressions",
        "social_ad_clicks",
    }
    made = sum(n for _, _, n in parts)
    assert made >= 5_000
    assert all(p.count(b"\n") == n for _, p, n in parts)
    views = b"".join(p for t, p, _ in parts if t == "social_views").splitlines()
    first = orjson.loads(views[0])
    assert list(first) == ["view_id", "post_id", "user_id", "viewed_at"] and first["view_id"] == 1
    counts = vectorised_social(5_000, scale="tiny")
    assert counts.pop("bytes") == sum(len(p) for _, p, _ in parts)
    assert sum(counts.values()) == made  # the same seed makes the same events


def test_faker_makes_the_same_mix_of_records() -> None:
    out = faker_social({"social_views": 30, "social_user_status": 5, "social_ad_clicks": 2})
    assert {t: p.count(b"\n") for t, p in out.items()} == {
        "social_views": 30,
        "social_user_status": 5,
        "social_ad_clicks": 2,
    }
    status = orjson.loads(out["social_user_status"].splitlines()[0])
    assert list(status) == ["user_id", "status", "changed_at"]
    assert status["status"] in ("online", "offline") and status["changed_at"].endswith("Z")


def test_cli_last_line_is_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["bench", "generate", "--domain", "social", "--scale", "tiny", "--events", "3000"]
    assert main([*args, "--repeat", "1", "--faker-events", "1000"]) == 0
    figures = orjson.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["domain"] == "social" and figures["events"] >= 3000
    assert sum(figures["events_by_topic"].values()) == figures["events"]
    assert abs(figures["faker_events"] - 1000) <= 4  # rounded per topic
    assert figures["ratio"] == pytest.approx(
        figures["events_per_s"] / figures["faker_events_per_s"], rel=0.01, abs=0.05
    )  # the ratio is rounded to one decimal


@pytest.mark.parametrize(("flag", "value"), [("--domain", "shopping"), ("--scale", "huge")])
def test_bad_domain_or_scale_is_a_usage_error(
    flag: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["bench", "generate", "--domain", "social", flag, value]) == 2
    assert value in capsys.readouterr().err
