"""Simulated worlds shared by the simulator tests (each built once per session)."""

from __future__ import annotations

import pytest

from tests.support.simulation import Sim, run_sim
from vitrina.simulate.faults import FaultRates


@pytest.fixture(scope="session")
def tiny_day(tmp_path_factory: pytest.TempPathFactory) -> Sim:
    return run_sim(tmp_path_factory.mktemp("tiny"), scale="tiny", hours=24)


@pytest.fixture(scope="session")
def classic_day(tmp_path_factory: pytest.TempPathFactory) -> Sim:
    return run_sim(tmp_path_factory.mktemp("classic"), scale="classic", hours=24, seed=11)


@pytest.fixture(scope="session")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Sim:
    rates = FaultRates(
        duplicate=0.02, late=0.02, malformed=0.01, violation=0.02, late_by_ms=600_000
    )
    return run_sim(
        tmp_path_factory.mktemp("faulty"), scale="classic", hours=6, seed=5, faults=rates
    )
