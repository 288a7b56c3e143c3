"""Fixtures: the in-process servers of servers.py, one per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .servers import Recorded, recording_bot_api, recording_smtp


@pytest.fixture
def bot_api() -> Iterator[Recorded]:
    with recording_bot_api() as recorded:
        yield recorded


@pytest.fixture
def smtp_server() -> Iterator[Recorded]:
    with recording_smtp() as recorded:
        yield recorded
