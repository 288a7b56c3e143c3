"""The file event log: atomic slice writes, time-range listing, the processed-files manifest."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vitrina.errors import UsageError
from vitrina.eventlog import FileEventLog, Manifest, open_eventlog, slice_name

H = 3_600_000
T0 = 1_793_577_600_000  # 2026-11-02T00:00:00Z


def test_slice_names_are_time_ordered() -> None:
    assert slice_name("clicks", T0) == "clicks/2026-11-02/clicks.20261102T000000Z.jsonl"
    names = [slice_name("clicks", T0 + k * H) for k in (0, 1, 25)]
    assert names == sorted(names)


def test_write_then_list_and_read(tmp_path: Path) -> None:
    log = FileEventLog(f"file://{tmp_path}")
    for k in range(3):
        log.write_slice("clicks", T0 + k * H, f'{{"n":{k}}}\n'.encode())
    files = log.list("clicks")
    assert [f.start_ms for f in files] == [T0, T0 + H, T0 + 2 * H]
    assert log.read(files[1]) == b'{"n":1}\n'
    assert [f.start_ms for f in log.list("clicks", T0 + H, T0 + 2 * H)] == [T0 + H]
    assert log.list("other") == []


def test_a_crash_mid_write_leaves_no_visible_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = FileEventLog(str(tmp_path))
    log.write_slice("clicks", T0, b'{"old":1}\n')

    def crash(src: str, dst: str) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(Exception, match="disk gone"):
        log.write_slice("clicks", T0, b'{"new":1}\n')
    with pytest.raises(Exception, match="disk gone"):
        log.write_slice("clicks", T0 + H, b'{"new":2}\n')
    monkeypatch.undo()
    files = log.list("clicks")
    assert [f.start_ms for f in files] == [T0]
    assert log.read(files[0]) == b'{"old":1}\n'  # the earlier version is intact
    leftovers = [p.name for p in tmp_path.rglob("*") if p.is_file() and p.name.startswith(".tmp")]
    assert leftovers == []


def test_manifest_processes_each_file_once_across_restarts(tmp_path: Path) -> None:
    log = FileEventLog(str(tmp_path))
    for k in range(3):
        log.write_slice("clicks", T0 + k * H, b'{"a":1}\n')
    m = Manifest(log, "ingest")
    first = m.pending("clicks")
    assert len(first) == 3
    m.mark_done(first[:2])
    assert [f.start_ms for f in Manifest(log, "ingest").pending("clicks")] == [
        T0 + 2 * H
    ]  # a new process
    m.mark_done(first)
    m.mark_done(first)  # idempotent
    assert Manifest(log, "ingest").pending("clicks") == []
    assert len(Manifest(log, "other-consumer").pending("clicks")) == 3
    log.write_slice("clicks", T0 + H, b'{"a":1}\n{"a":2}\n')  # a slice rewritten with new content
    assert [f.start_ms for f in Manifest(log, "ingest").pending("clicks")] == [T0 + H]


def test_any_fsspec_url(tmp_path: Path) -> None:
    log = open_eventlog("memory://vitrina-test/events")
    log.write_slice("clicks", T0, b'{"m":1}\n')
    files = log.list("clicks")
    assert len(files) == 1 and log.read(files[0]) == b'{"m":1}\n'
    m = Manifest(log, "stream")
    m.mark_done(files)
    assert Manifest(log, "stream").pending("clicks") == []


def test_bad_topic_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        FileEventLog(str(tmp_path)).write_slice("../escape", T0, b"{}\n")
