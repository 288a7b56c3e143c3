"""Rules that must not depend on the rest of the input: repeated keys, the range of instants."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from vitrina.cli import main
from vitrina.contracts import parse_jsonl
from vitrina.stream.engine import EmittedWindows, WindowEngine, WindowSpec
from vitrina.stream.parse import VIOLATION, parse_clicks, parse_clicks_general

MIN = 60_000
REPEATED = b'{"product_id":10,"product_id":11,"event_type":"click","ts":"2026-11-22T13:00:00Z"}'
ESCAPED = (
    b'{"product_id":10,"product\\u005fid":11,"event_type":"click","ts":"2026-11-22T13:00:00Z"}'
)
GOOD = b'{"product_id":3,"event_type":"click","ts":"2026-11-22T13:00:30Z"}'


def _window(tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[bytes]) -> list[dict]:
    src = tmp_path / "clicks.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    assert main(["window", "--input", str(src), "--size", "5m", "--hop", "5m"]) == 0
    return [orjson.loads(x) for x in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize("line", [REPEATED, ESCAPED])
def test_a_repeated_key_counts_its_first_value_whatever_the_other_lines(
    line: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alone = _window(tmp_path, capsys, [line, GOOD])
    with_bad = _window(tmp_path, capsys, [line, GOOD, b"{not json"])
    assert alone == with_bad
    assert [(o["product_id"], o["clicks"]) for o in alone] == [(3, 1), (10, 1)]
    for data in (line, line + b"\n{oops", line + b"\n" + GOOD.replace(b"3", b"-3")):
        for parsed in (parse_clicks(data), parse_clicks_general(data)):
            assert parsed.product_id.tolist()[:1] == [10]


def test_a_later_repeat_with_a_wrong_type_is_ignored_on_every_path() -> None:
    line = b'{"product_id":10,"event_type":"click","product_id":"x","ts":"2026-11-22T13:00:00Z"}'
    for data in (line, line + b"\n{oops"):
        parsed = parse_clicks(data)
        assert parsed.product_id.tolist() == [10]
        assert parsed.bad_line == ([] if data == line else [2])


@pytest.mark.parametrize("extra", [b"", b"\n{oops"])
def test_ingest_reader_keeps_the_first_value_too(extra: bytes) -> None:
    rec = b'{"event_id":"e","user_id":1,"session_id":"s","product_id":10,"product_id":11,'
    rec += b'"event_type":"click","ts":"2026-11-22T13:00:00Z"}'
    parsed = parse_jsonl(rec + extra, "clicks", "t")
    assert parsed.frame.get_column("product_id").to_list() == [10]
    assert parsed.bad.height == len(extra.split(b"\n")) - 1


@pytest.mark.parametrize(
    "ts",
    [
        "1969-12-31T23:59:59.999Z",
        "2100-01-01T00:00:00Z",
        "9999-12-31T12:00:00Z",
        "0001-01-01T00:00:00Z",
    ],
)
def test_an_event_outside_the_range_is_a_violation_with_the_reason(
    ts: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = orjson.dumps({"product_id": 4, "event_type": "click", "ts": ts})
    for parsed in (parse_clicks(line + b"\n" + GOOD), parse_clicks_general(line + b"\n" + GOOD)):
        assert parsed.bad_line == [1]
        assert parsed.bad_kind == [VIOLATION]
        assert parsed.bad_reason == [
            f"ts: {ts} is outside the accepted range of instants "
            "[1970-01-01T00:00:00Z, 2100-01-01T00:00:00Z)"
        ]
    src = tmp_path / "c.jsonl"
    src.write_bytes(line + b"\n" + GOOD + b"\n")
    assert main(["window", "--input", str(src)]) == 0
    cap = capsys.readouterr()
    assert "+10000" not in cap.out and "contract violations 1" in cap.err
    assert {orjson.loads(x)["product_id"] for x in cap.out.splitlines()} == {3}


def test_window_bounds_never_leave_the_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = orjson.dumps({"product_id": 1, "event_type": "click", "ts": "1970-01-01T00:01:30Z"})
    last = orjson.dumps({"product_id": 2, "event_type": "click", "ts": "2099-12-31T23:58:30Z"})
    src = tmp_path / "edges.jsonl"
    src.write_bytes(first + b"\n" + last + b"\n")
    assert main(["window", "--input", str(src)]) == 0
    out = [orjson.loads(x) for x in capsys.readouterr().out.splitlines()]
    # Hopping 5m/1m: each click is in 5 windows; only those inside the range are emitted.
    assert [(o["product_id"], o["window_start"], o["window_end"]) for o in out] == [
        (1, "1970-01-01T00:00:00.000Z", "1970-01-01T00:05:00.000Z"),
        (1, "1970-01-01T00:01:00.000Z", "1970-01-01T00:06:00.000Z"),
        (2, "2099-12-31T23:54:00.000Z", "2099-12-31T23:59:00.000Z"),
        (2, "2099-12-31T23:55:00.000Z", "2100-01-01T00:00:00.000Z"),
    ]


def test_engine_clips_windows_only_when_its_times_are_instants() -> None:
    def run(engine: WindowEngine) -> dict[tuple[int, int], int]:
        first = engine.process([30_000, 90_000], [7, 7]).emitted
        return EmittedWindows.concat([first, engine.flush()], 5 * MIN).as_dict()

    plain = run(WindowEngine(WindowSpec(5 * MIN, MIN, 0)))
    assert sorted(plain) == [(m * MIN, 7) for m in range(-4, 2)]
    clipped = WindowEngine(WindowSpec(5 * MIN, MIN, 0, instants=True))
    assert run(clipped) == {(0, 7): 2, (MIN, 7): 1}
    assert clipped.count_emitted == 2
    restored = WindowEngine.from_bytes(clipped.to_bytes(), WindowSpec(5 * MIN, MIN, 0, True))
    assert restored.spec.instants
