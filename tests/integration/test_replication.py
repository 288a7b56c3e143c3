"""PostgreSQL -> MariaDB replication (python engine): equal after every run, and after kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.integration.replication_support import (
    SHOP,
    churn,
    databases,
    fill_shop,
    marks,
    mismatches,
)
from vitrina.replicate import replicate
from vitrina.source import ENTITY_TABLES

pytestmark = pytest.mark.services("postgres", "mariadb")
BULK = 100_000  # loyalty rows: long enough a run to be killed in the middle of it


@pytest.fixture(scope="module")
def dbs(postgres_url: str, mariadb_url: str) -> Iterator[tuple[str, str]]:
    with databases(postgres_url, mariadb_url) as urls:
        yield urls


def test_replica_equals_source_after_every_run(dbs: tuple[str, str]) -> None:
    source, replica = dbs
    fill_shop(source)
    first = replicate(source, replica)
    assert first.upserted > 0
    assert mismatches(source, replica) == dict.fromkeys(ENTITY_TABLES, 0)
    for step in (1, 2):
        churn(source, step)
        report = replicate(source, replica)
        assert report.deleted >= 1 and report.tables["orders"].upserted > 0
        assert mismatches(source, replica, SHOP) == dict.fromkeys(SHOP, 0)
    again = replicate(source, replica)
    assert (again.upserted, again.deleted) == (0, 0)


def _start(source: str, replica: str, tmp: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "VITRINA_BACKENDS_SOURCE": source,
        "VITRINA_BACKENDS_REPLICA": replica,
    }
    main = "import sys; from vitrina.cli import main; sys.exit(main())"
    cmd = [sys.executable, "-c", main, "--data-dir", str(tmp), "replicate"]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _kill_inside_loyalty_points(
    proc: subprocess.Popen[bytes], replica: str, before: object
) -> None:
    """SIGKILL once reviews is committed, i.e. while loyalty_points is being copied."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the run ended before it could be killed mid-way"
        try:
            mark = marks(replica).get("reviews")
        except Exception:  # the state table may not exist yet
            mark = None
        if mark is not None and mark != before:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(60) == -signal.SIGKILL


def test_killed_mid_run_then_run_again_converges(
    postgres_url: str, mariadb_url: str, tmp_path: Path
) -> None:
    with databases(postgres_url, mariadb_url) as (source, replica):
        fill_shop(source, extra_points=BULK)
        _kill_inside_loyalty_points(_start(source, replica, tmp_path), replica, None)
        assert "loyalty_points" not in marks(replica)  # its transaction died with the process
        replicate(source, replica)
        assert mismatches(source, replica, SHOP) == dict.fromkeys(SHOP, 0)
        # Again on an incremental run: changes, kill, run again.
        churn(source, 1)
        with psycopg.connect(source) as con:  # every bulk row changes: a long incremental run
            con.execute("update loyalty_points set points = points + 1 where reason = 'bulk'")
        before = marks(replica)
        _kill_inside_loyalty_points(_start(source, replica, tmp_path), replica, before["reviews"])
        assert marks(replica)["loyalty_points"] == before["loyalty_points"]
        report = replicate(source, replica)
        assert report.tables["reviews"].upserted == 0  # done by the killed run, not redone
        assert mismatches(source, replica, SHOP) == dict.fromkeys(SHOP, 0)


def test_awkward_strings_survive_the_bulk_path(postgres_url: str, mariadb_url: str) -> None:
    """COPY text -> LOAD DATA keeps tabs, newlines, backslashes and \\N-looking text; a form
    feed (which LOAD DATA does not unescape) sends the table through the batch path instead."""
    with databases(postgres_url, mariadb_url) as (source, replica):
        fill_shop(source)
        with psycopg.connect(source) as con:
            con.execute(
                "update users set first_name = case user_id % 3 when 0 then E'a\\tb\\nc\\\\d' "
                "when 1 then '\\N' else E'r\\rs' end, last_name = NULL where user_id <= 9"
            )
            con.execute("update products set name = E'form\\ffeed' where product_id = 1")
        first = replicate(source, replica, tables=SHOP)
        assert first.tables["users"].upserted > 9
        assert mismatches(source, replica, SHOP) == dict.fromkeys(SHOP, 0)
