"""One accepted range of instants, [1970-01-01T00:00:00Z, 2100-01-01T00:00:00Z), everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest
from pydantic import ValidationError

from vitrina.cli import main
from vitrina.config import load_settings
from vitrina.contracts import Click, parse_jsonl, validate_table
from vitrina.errors import UsageError
from vitrina.eventlog import slice_name
from vitrina.pipelines.simulate import params_from_settings
from vitrina.timeutil import (
    END_INSTANT_MS,
    MIN_INSTANT_MS,
    InstantOutOfRange,
    check_instant_ms,
    check_interval_ms,
    format_ts_ms,
    parse_instant_ms,
)

RANGE = "[1970-01-01T00:00:00Z, 2100-01-01T00:00:00Z)"


def test_the_range_and_its_checks() -> None:
    assert format_ts_ms(MIN_INSTANT_MS) == "1970-01-01T00:00:00.000Z"
    assert format_ts_ms(END_INSTANT_MS) == "2100-01-01T00:00:00.000Z"
    assert check_instant_ms(END_INSTANT_MS - 1) == END_INSTANT_MS - 1
    assert check_instant_ms(END_INSTANT_MS, end=True) == END_INSTANT_MS
    with pytest.raises(UsageError, match=r"^x: 2100-01-01T00:00:00.000Z is outside .* 2100"):
        check_instant_ms(END_INSTANT_MS, "x")
    with pytest.raises(InstantOutOfRange, match=r"^-1 ms|1969-12-31T23:59:59.999Z"):
        check_instant_ms(-1)
    with pytest.raises(ValueError, match=r"\d+ ms after 1970"):  # beyond datetime's years
        check_instant_ms(10**15)
    assert check_interval_ms(0, END_INSTANT_MS) == (0, END_INSTANT_MS)
    with pytest.raises(UsageError, match=r"^sim: \[2099-12-31T12:00:00.000Z, 2100-01-01T12"):
        check_interval_ms(END_INSTANT_MS - 43_200_000, END_INSTANT_MS + 43_200_000, "sim")


@pytest.mark.parametrize(
    "text", ["0001-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2100-01-01", "9999-12-31T12:00:00Z"]
)
def test_parse_instant_refuses_instants_outside_the_range(text: str) -> None:
    with pytest.raises(
        InstantOutOfRange, match=re.escape(f"is outside the accepted range of instants {RANGE}")
    ):
        parse_instant_ms(text)


def test_parse_instant_accepts_the_edges() -> None:
    assert parse_instant_ms("1970-01-01T00:00:00Z") == 0
    assert parse_instant_ms("2099-12-31T23:59:59.999Z") == END_INSTANT_MS - 1


@pytest.mark.parametrize(
    ("start", "duration", "needle"),
    [
        ("0001-01-01T00:00:00Z", "1h", "simulate.start: invalid value '0001-01-01T00:00:00Z'"),
        ("9999-12-31T12:00:00Z", "1d", "simulate.start: invalid value '9999-12-31T12:00:00Z'"),
        ("2099-12-31T12:00:00Z", "1d", "[2099-12-31T12:00:00.000Z, 2100-01-01T12:00:00.000Z)"),
        ("1970-01-01T00:00:00Z", "1h", "[1969-05-06T00:00:00.000Z, 1970-01-01T01:00:00.000Z)"),
    ],
)
def test_simulate_refuses_a_span_outside_the_range_before_writing(
    start: str, duration: str, needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    args = ["--data-dir", str(data), "simulate", "--scale", "tiny", "--start", start]
    code = main([*args, "--duration", duration])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and needle in err and RANGE in err and "Traceback" not in err
    assert not data.exists()


def test_simulate_counts_late_arrivals_in_the_span(tmp_path: Path) -> None:
    start = {"scale": "tiny", "start": "2099-12-31T00:00:00Z", "duration": "1d"}
    fine = load_settings(data_dir=tmp_path, environ={}, cwd=tmp_path, overrides={"simulate": start})
    assert params_from_settings(fine).start_ms == END_INSTANT_MS - 86_400_000
    late = load_settings(
        data_dir=tmp_path,
        environ={},
        cwd=tmp_path,
        overrides={"simulate": start, "faults": {"enabled": True, "late_rate": 0.1}},
    )
    with pytest.raises(UsageError, match="late arrivals"):
        params_from_settings(late)


def test_event_log_slices_are_named_only_inside_the_range() -> None:
    assert slice_name("clicks", 0) == "clicks/1970-01-01/clicks.19700101T000000Z.jsonl"
    for ms in (-62_135_596_800_000, END_INSTANT_MS):
        with pytest.raises(UsageError, match="event-log slice start"):
            slice_name("clicks", ms)


CLICK = {"event_id": "e", "user_id": 1, "session_id": "s", "product_id": 3, "event_type": "click"}


@pytest.mark.parametrize(
    ("ts", "ok"),
    [
        ("1970-01-01T00:00:00Z", True),
        ("2099-12-31T23:59:59.999Z", True),
        ("1969-12-31T23:59:59.999Z", False),
        ("2100-01-01T00:00:00Z", False),
        ("9999-12-31T12:00:00Z", False),
    ],
)
def test_the_contract_refuses_a_time_outside_the_range(ts: str, ok: bool) -> None:
    rec = {**CLICK, "ts": ts}
    checked = validate_table("clicks", parse_jsonl(orjson.dumps(rec), "clicks", "t").frame)
    assert checked.valid.height == int(ok)
    if not ok:
        assert checked.errors.select("field", "rule").rows() == [("ts", "range")]
        reasons = checked.invalid.get_column("reasons").to_list()
        assert reasons == [[f"clicks.ts: '{ts}' is outside the accepted range of instants {RANGE}"]]
        with pytest.raises(ValidationError, match="outside the accepted range"):
            Click.model_validate(rec)
    else:
        assert Click.model_validate(rec).ts.year in (1970, 2099)


def test_ingest_quarantines_a_click_in_year_9999(tmp_path: Path) -> None:
    from vitrina.ingest import run_ingest
    from vitrina.warehouse import open_warehouse

    folder = tmp_path / "in" / "clicks"
    folder.mkdir(parents=True)
    good = {**CLICK, "event_id": "a", "ts": "2026-11-22T12:00:00Z"}
    bad = {**CLICK, "event_id": "b", "ts": "9999-12-31T23:00:00Z"}
    (folder / "c.jsonl").write_bytes(orjson.dumps(good) + b"\n" + orjson.dumps(bad) + b"\n")
    settings = load_settings(data_dir=tmp_path / "data", environ={}, cwd=tmp_path)
    run_ingest(settings, from_dir=tmp_path / "in")
    wh = open_warehouse(settings.backend("warehouse"))
    try:
        rows = wh.query_arrow("select origin, reasons from raw.quarantine").to_pylist()
    finally:
        wh.close()
    reasons = {r["origin"]: r["reasons"] for r in rows}
    assert "clicks.ts: '9999-12-31T23:00:00Z' is outside the accepted range of instants" in str(
        reasons["dir:clicks/c.jsonl:2"]
    )
    assert "outside the accepted range" not in str(reasons.get("dir:clicks/c.jsonl:1"))


def test_ingest_refuses_a_start_outside_the_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    code = main(["--data-dir", str(data), "ingest", "--start", "0001-01-01T00:00:00Z"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "--start: 0001-01-01T00:00:00.000Z is outside" in err
    assert not data.exists()
