"""Same seed and parameters -> byte-identical social output; the slice size changes only the files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.simulate.social_sim import run_social
from vitrina.simulate.base import FaultRates


@pytest.mark.parametrize(("scale", "hours", "views"), [("tiny", 12, 100), ("classic", 3, 10_000)])
def test_same_seed_gives_identical_bytes(
    tmp_path: Path, scale: str, hours: int, views: int
) -> None:
    a = run_social(tmp_path / "a", scale=scale, hours=hours, seed=9)
    b = run_social(tmp_path / "b", scale=scale, hours=hours, seed=9)
    assert a.counts["social_views"] > views
    assert a.digest() == b.digest()


def test_other_seed_gives_other_data(tmp_path: Path) -> None:
    a = run_social(tmp_path / "a", hours=2, seed=1)
    b = run_social(tmp_path / "b", hours=2, seed=2)
    assert a.digest() != b.digest()


def test_slice_size_changes_files_not_bytes(tmp_path: Path) -> None:
    hourly = run_social(tmp_path / "h", scale="classic", hours=3, seed=4)
    minutes = run_social(tmp_path / "m", scale="classic", hours=3, seed=4, slice_ms=60_000)
    for topic in ("social_views", "social_user_status", "social_ad_impressions"):
        assert len(minutes.log.list(topic)) > 10 * len(hourly.log.list(topic))
        assert minutes.topic_bytes(topic) == hourly.topic_bytes(topic)
    assert minutes.digest() == hourly.digest()


def test_faults_leave_clean_records_unchanged(tmp_path: Path) -> None:
    clean = run_social(tmp_path / "c", hours=2, seed=6)
    faulty = run_social(tmp_path / "f", hours=2, seed=6, faults=FaultRates(duplicate=0.05))
    assert faulty.table("social_posts").equals(clean.table("social_posts"))
    clean_lines = set(clean.topic_bytes("social_views").splitlines())
    faulty_lines = faulty.topic_bytes("social_views").splitlines()
    assert clean_lines == set(faulty_lines)  # duplicates only repeat existing lines
    assert len(faulty_lines) > len(clean_lines)
