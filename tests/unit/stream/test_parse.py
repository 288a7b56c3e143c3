"""Click parsing: the columnar fast path and the line-by-line path give the same events."""

from __future__ import annotations

import numpy as np
import orjson
import pytest

from vitrina.stream.parse import MALFORMED, VIOLATION, parse_clicks

GOOD = b'{"product_id":5,"event_type":"click","ts":"2026-11-22T13:00:00.123Z","user_id":1}'


def test_fast_path_types_and_line_numbers() -> None:
    data = GOOD + b"\n" + GOOD.replace(b"click", b"view").replace(b"00.123Z", b"01Z") + b"\n"
    p = parse_clicks(data)
    assert p.ts_ms.tolist() == [1795352400123, 1795352401000]
    assert p.product_id.tolist() == [5, 5]
    assert p.is_click.tolist() == [True, False]
    assert p.line.tolist() == [1, 2]
    assert p.bad_line == [] and p.lines_total == 2


def test_each_kind_of_bad_line_has_number_kind_and_reason() -> None:
    lines = [
        GOOD,
        b"{oops",
        b"",
        b'"a string"',
        b'{"product_id":-3,"event_type":"click","ts":"2026-11-22T13:00:00Z"}',
        b'{"product_id":true,"event_type":"click","ts":"2026-11-22T13:00:00Z"}',
        b'{"event_type":"click","ts":"2026-11-22T13:00:00Z"}',
        b'{"product_id":4,"event_type":"click","ts":"2026-11-22 13:00:00"}',
        GOOD,
    ]
    p = parse_clicks(b"\n".join(lines))
    assert p.line.tolist() == [1, 9]
    assert p.bad_line == [2, 4, 5, 6, 7, 8]
    assert p.bad_kind == [MALFORMED, MALFORMED, VIOLATION, VIOLATION, VIOLATION, VIOLATION]
    assert p.bad_reason[2] == "product_id: must be > 0, got -3"
    assert p.bad_reason[3].startswith("product_id: expected an integer")
    assert p.bad_reason[4] == "product_id: missing"
    assert "not an ISO-8601 UTC timestamp" in p.bad_reason[5]
    assert p.lines_total == 8
    assert p.count_malformed == 2 and p.count_violations == 4


def test_slow_path_equals_fast_path_on_good_lines() -> None:
    rng = np.random.default_rng(3)
    lines = [
        b'{"product_id":%d,"event_type":"%s","ts":"2026-11-22T13:%02d:%02d.%03dZ"}'
        % (int(rng.integers(1, 9)), [b"view", b"click"][i % 2], i % 60, (i * 7) % 60, i % 1000)
        for i in range(500)
    ]
    fast = parse_clicks(b"\n".join(lines))
    slow = parse_clicks(b"\n".join([*lines, b"{bad"]))
    assert slow.bad_line == [501]
    for name in ("ts_ms", "product_id", "is_click", "line"):
        assert np.array_equal(getattr(fast, name), getattr(slow, name))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ts", "2026-11-22T13:00:00Z"),
        ("ts", "2026-11-22T13:00:00.5Z"),
        ("ts", "2026-11-22T13:00:00+00:00"),
        ("ts", "2026-11-22 13:00:00Z"),
        ("ts", "2026-11-22T13:00:00"),
        ("ts", "2026-02-30T13:00:00Z"),
        ("product_id", "7"),
        ("product_id", 7.5),
        ("product_id", 0),
        ("product_id", None),
        ("event_type", "Click"),
        ("event_type", " CLICK "),
        ("event_type", "\u00a0View\t"),
        ("event_type", "clic"),
        ("event_type", None),
        ("ts", " 2026-11-22T13:00:00Z "),
        ("ts", "1969-12-31T23:59:59.999Z"),
        ("ts", "1970-01-01T00:00:00Z"),
        ("ts", "2099-12-31T23:59:59.999Z"),
        ("ts", "2100-01-01T00:00:00Z"),
        ("ts", "9999-12-31T12:00:00Z"),
        ("ts", "0001-01-01T00:00:00Z"),
    ],
)
def test_agrees_with_the_clicks_contract_on_the_window_fields(field: str, value: object) -> None:
    """The stream judges a click as ingest does: its normalisation, then the contract."""
    from vitrina.contracts import parse_jsonl, validate_table
    from vitrina.ingest.clean import normalise
    from vitrina.ingest.tables import TABLES

    rec: dict[str, object] = {
        "event_id": "e",
        "user_id": 1,
        "session_id": "s",
        "product_id": 3,
        "event_type": "click",
        "ts": "2026-11-22T13:00:00Z",
    }
    rec[field] = value
    line = orjson.dumps(rec)
    frame = normalise(TABLES["clicks"], parse_jsonl(line, "clicks", "t").frame)
    valid = validate_table("clicks", frame).valid
    contract_ok = valid.height == 1
    mine = parse_clicks(line)
    assert (len(mine.ts_ms) == 1) == contract_ok
    if not contract_ok:
        assert mine.bad_reason[0].startswith(field)
    else:
        assert mine.is_click.tolist() == [valid.item(0, "event_type") == "click"]
        assert mine.ts_ms.tolist() == [valid.get_column("ts").dt.epoch("ms").item()]
