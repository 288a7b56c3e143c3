"""top_products' clicks_5m agrees with the stream job's product_clicks_5m output (faults included)."""

from __future__ import annotations

from pathlib import Path

import orjson

from vitrina.config import load_settings
from vitrina.eventlog import open_eventlog
from vitrina.ingest import run_ingest
from vitrina.pipelines.simulate import run_simulate
from vitrina.stream.job import run_stream
from vitrina.timeutil import parse_instant_ms
from vitrina.warehouse import open_warehouse
from vitrina.warehouse.transform import run_transform


def _ms(value: object) -> int:
    return value if isinstance(value, int) else parse_instant_ms(str(value))


def test_latest_closed_window_equals_the_stream_output(tmp_path: Path) -> None:
    overrides = {
        "simulate": {"scale": "tiny", "start": "2026-11-22T00:00:00Z", "duration": "3h", "seed": 7},
        "faults": {"enabled": True, "late_rate": 0.05, "duplicate_rate": 0.05},
    }
    settings = load_settings(data_dir=tmp_path, environ={}, cwd=tmp_path, overrides=overrides)
    run_simulate(settings)
    run_stream(settings, follow=False, marts=False)
    run_ingest(settings)
    run_transform(settings, select="+int_product_clicks__latest_window")

    wh = open_warehouse(settings.backend("warehouse"))
    try:
        ours = wh.query_arrow(
            "select product_id, window_end_ms, clicks from intermediate.int_product_clicks__latest_window "
            "order by product_id"
        ).to_pylist()
        duplicates = wh.query_arrow(
            "select count(*) - count(distinct event_id) as n from clean.click_arrivals"
        ).to_pylist()[0]["n"]
    finally:
        wh.close()
    assert ours, "the simulated hours must leave a closed window with clicks"
    assert duplicates > 0  # the faults did redeliver events
    end = ours[0]["window_end_ms"]

    log = open_eventlog(settings.backend("eventlog"))
    emitted = [
        orjson.loads(line)
        for f in log.list("product_clicks_5m")
        for line in log.read(f).splitlines()
        if line.strip()
    ]
    theirs = sorted((r["product_id"], r["clicks"]) for r in emitted if _ms(r["window_end"]) == end)
    assert theirs == [(r["product_id"], r["clicks"]) for r in ours]
