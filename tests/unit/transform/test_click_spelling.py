"""Ingest's clicks_5m and `vitrina window` count the same clicks, however a click is spelled."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from vitrina.cli import main
from vitrina.config import load_settings
from vitrina.ingest import run_ingest
from vitrina.warehouse.transform import run_transform

WORLD = Path(__file__).parent / "world"

# The five events: four clicks on product 10 spelled four ways, then a view.
FIVE = [
    ("e1", "click", "2026-11-22T12:00:10.000Z"),
    ("e2", " CLICK ", "2026-11-22T12:01:00.000Z"),
    ("e3", "Click", "2026-11-22T12:02:00.000Z"),
    ("e4", "click", "2026-11-22T12:03:00.000Z"),
    ("e5", "view", "2026-11-22T12:05:40.000Z"),
]


def test_five_events_window_output_and_ingest_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], read: Callable[..., list[dict[str, object]]]
) -> None:
    folder = tmp_path / "world"
    shutil.copytree(WORLD, folder)
    shutil.rmtree(folder / "clicks")
    (folder / "clicks").mkdir()
    lines = [
        orjson.dumps(
            {
                "event_id": event_id,
                "user_id": 1,
                "session_id": "s1",
                "product_id": 10,
                "event_type": event_type,
                "ts": ts,
            }
        )
        for event_id, event_type, ts in FIVE
    ]
    (folder / "clicks" / "five.jsonl").write_bytes(b"\n".join(lines) + b"\n")

    code = main(["window", "--input", str(folder / "clicks" / "five.jsonl")])
    out = [orjson.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert code == 0
    window = {(o["window_start"], o["product_id"]): o["clicks"] for o in out}
    assert window[("2026-11-22T12:00:00.000Z", 10)] == 4

    settings = load_settings(data_dir=tmp_path / "data", environ={}, cwd=tmp_path)
    run_ingest(settings, from_dir=folder)
    run_transform(settings, select="+int_product_clicks__latest_window")
    latest = read(settings, "int_product_clicks__latest_window", "product_id", "intermediate")
    clicks = read(settings, "clicks", "event_id", "clean")
    types = [(c["event_id"], c["event_type"]) for c in clicks]
    assert types == [
        ("e1", "click"),
        ("e2", "click"),
        ("e3", "click"),
        ("e4", "click"),
        ("e5", "view"),
    ]
    assert latest == [
        {
            "product_id": 10,
            "window_start_ms": 1_795_348_800_000,  # 2026-11-22T12:00:00Z
            "window_end_ms": 1_795_349_100_000,
            "clicks": 4,
        }
    ]
