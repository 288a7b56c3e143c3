"""Same seed and parameters -> byte-identical output; slicing and speed do not change the data."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.unit.simulate.conftest import run_sim


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted((root / "events").rglob("*.jsonl")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _tables_digest(sim: object) -> str:
    h = hashlib.sha256()
    for name, df in sorted(sim.tables.items()):  # type: ignore[attr-defined]
        h.update(name.encode())
        h.update(df.write_csv().encode())
    return h.hexdigest()


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    a = run_sim(tmp_path / "a", scale="classic", hours=3, seed=9)
    b = run_sim(tmp_path / "b", scale="classic", hours=3, seed=9)
    assert a.report.events["clicks"] > 1_000
    assert _digest(a.root) == _digest(b.root)
    assert _tables_digest(a) == _tables_digest(b)


def test_other_seed_gives_other_data(tmp_path: Path) -> None:
    a = run_sim(tmp_path / "a", hours=2, seed=1)
    b = run_sim(tmp_path / "b", hours=2, seed=2)
    assert _digest(a.root) != _digest(b.root)


def test_slice_size_changes_files_not_events(tmp_path: Path) -> None:
    hourly = run_sim(tmp_path / "h", scale="classic", hours=3, seed=4)
    minutes = run_sim(tmp_path / "m", scale="classic", hours=3, seed=4, slice_ms=15 * 60_000)
    assert len(minutes.log.list("clicks")) > len(hourly.log.list("clicks"))
    assert minutes.topic_bytes("clicks") == hourly.topic_bytes("clicks")
    assert _tables_digest(minutes) == _tables_digest(hourly)


def test_faults_leave_clean_records_unchanged(tmp_path: Path) -> None:
    """Fault streams are separate: the OLTP history of a faulty run differs only where listed."""
    from vitrina.simulate.faults import FaultRates

    clean = run_sim(tmp_path / "c", hours=2, seed=6)
    faulty = run_sim(tmp_path / "f", hours=2, seed=6, faults=FaultRates(duplicate=0.05))
    assert faulty.tables["orders"].equals(clean.tables["orders"])
    clean_lines = set(clean.topic_bytes("clicks").splitlines())
    faulty_lines = faulty.topic_bytes("clicks").splitlines()
    assert clean_lines == set(faulty_lines)  # duplicates only repeat existing lines
    assert len(faulty_lines) > len(clean_lines)
