"""The compiled fast path of the click parser agrees with the general parser on any input."""

from __future__ import annotations

import json

import numpy as np
import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from vitrina.stream.parse import ParsedClicks, parse_clicks, parse_clicks_general
from vitrina.stream.scan import scan_clicks

_TS = st.one_of(
    st.builds(
        lambda y, mo, d, h, mi, s, frac: (
            f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{frac}Z"
        ),
        st.sampled_from([999, 1000, 1969, 1970, 2000, 2024, 2026, 2100, 9999]),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 24),
        st.integers(0, 60),
        st.integers(0, 61),
        st.sampled_from(
            ["", ".", ".1", ".12", ".123", ".1234", ".123456", ".123456789", ".1234567890"]
        ),
    ),
    st.sampled_from(
        [
            "2026-11-22T13:00:00.123z",
            "2026-11-22 13:00:00.123Z",
            "2026-11-22T13:00:00+00:00",
            "2026-11-22T13:00:00.123",
            "2026-11-22",
            "２０２６-11-22T13:00:00Z",
            "2026-11-22T13:00:00.12aZ",
        ]
    ),
    st.integers(-5, 5),
    st.none(),
)
_PRODUCT_ID = st.one_of(
    st.integers(1, 10**6),
    st.sampled_from([0, -1, -(2**63), 2**63 - 1, 2**63, 10**18, 10**18 - 1, 10**20]),
    st.sampled_from([5.0, 7.5, "7", True, None, [1], {"a": 1}]),
)
_EVENT_TYPE = st.one_of(
    st.sampled_from(["view", "click", "add_to_cart", "purchase"]),
    st.sampled_from(["Click", "clic", "clicks", "", 1, None, "cl\u00efck"]),
)
_OTHER = st.one_of(
    st.text(max_size=6),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.sampled_from(["ts", "product_id", "x"]), st.integers(0, 3), max_size=2),
)


_CLEAN_TS = st.integers(0, 253_402_300_799_999).map(lambda ms: str(np.datetime64(ms, "ms")) + "Z")
_CLEAN = {
    "product_id": st.integers(1, 10**18 - 1),
    "event_type": st.sampled_from(["view", "click", "add_to_cart", "purchase"]),
    "ts": _CLEAN_TS,
}
_ODD = {"product_id": _PRODUCT_ID, "event_type": _EVENT_TYPE, "ts": _TS}


@st.composite
def _line(draw: st.DrawFn) -> bytes:
    """Mostly clean clicks (the fast path's lines), with every kind of oddity mixed in."""
    fields: dict[str, object] = {}
    for name in ("product_id", "event_type", "ts"):
        kind = draw(st.integers(0, 19))
        if kind > 0:  # missing 1 time in 20
            fields[name] = draw(_CLEAN[name] if kind > 4 else _ODD[name])
    for i in range(draw(st.integers(0, 3))):
        fields[f"f{i}"] = draw(_OTHER)
    keys = draw(st.permutations(list(fields)))
    compact = {"separators": (",", ":"), "ensure_ascii": draw(st.booleans())}
    raw = json.dumps({k: fields[k] for k in keys}, **compact).encode()
    mangle = draw(st.integers(0, 24))
    if mangle == 1:
        raw = raw[: draw(st.integers(0, max(len(raw) - 1, 0)))]  # truncated: malformed
    elif mangle == 2:
        raw = raw.replace(b":", b" : ").replace(b",", b" ,\t")  # whitespace between tokens
    elif mangle == 3:
        raw = b"  " + raw + b" \t"
    elif mangle == 4:
        raw = raw + draw(st.sampled_from([b"x", b",", b"}", b"\r", b" {}"]))
    elif mangle == 5:
        raw = draw(st.sampled_from([b"", b" ", b"[1,2]", b'"s"', b"null", b"{}", b"{,}", b"\r"]))
    elif mangle == 6 and b'"ts"' in raw:  # a repeated field
        raw = raw[:-1] + b',"ts":"2026-11-22T13:00:00Z"}'
    elif mangle == 7:
        raw = raw.replace(b'"click"', b'"cl\\u0069ck"')  # an escape the fast path defers
    elif mangle == 8:
        raw = raw.replace(b":", b":0", 1)  # a leading zero: not JSON
    return raw


def _same(a: ParsedClicks, b: ParsedClicks) -> None:
    for name in ("ts_ms", "product_id", "is_click", "line"):
        assert getattr(a, name).tolist() == getattr(b, name).tolist(), name
    assert (a.bad_line, a.bad_kind, a.bad_reason) == (b.bad_line, b.bad_kind, b.bad_reason)
    assert (a.lines_total, a.count_lines) == (b.lines_total, b.count_lines)


@settings(max_examples=400, deadline=None)
@given(st.lists(_line(), min_size=1, max_size=12), st.booleans())
def test_fast_path_equals_the_general_parser(lines: list[bytes], newline_at_end: bool) -> None:
    data = b"\n".join(lines) + (b"\n" if newline_at_end else b"")
    _same(parse_clicks(data), parse_clicks_general(data))


def test_clean_lines_are_all_accepted_with_their_values() -> None:
    rng = np.random.default_rng(1)
    ts = 1_767_225_600_000 + rng.integers(0, 10**10, 2_000)
    lines = [
        orjson.dumps(
            {
                "event_id": f"e{i}",
                "product_id": int(rng.integers(1, 10**9)),
                "event_type": ["view", "click", "purchase"][i % 3],
                "ts": np.datetime_as_string(np.datetime64(int(t), "ms")) + "Z",
                "price": 12.5,
                "ok": True,
            }
        )
        for i, t in enumerate(ts.tolist())
    ]
    body = b"\n".join(lines)
    accepted, pid, ts_ms, _ = scan_clicks(body)
    assert accepted.all()
    assert ts_ms.tolist() == ts.tolist()
    assert pid.tolist() == [orjson.loads(x)["product_id"] for x in lines]
    _same(parse_clicks(body), parse_clicks_general(body))


def test_what_the_fast_path_defers() -> None:
    good = b'{"product_id":5,"event_type":"click","ts":"2026-11-22T13:00:00.123Z"}'
    deferred = [
        b"",
        good.replace(b"5", b"0"),
        good.replace(b"5", b"5.0"),
        good.replace(b"5", b"1234567890123456789"),  # 19 digits
        good.replace(b"click", b"cl\\u0069ck"),
        good.replace(b"13:00:00", b"23:59:60"),  # a leap second: the general parser decides
        good.replace(b"2026", b"1969"),
        good.replace(b"}", b',"x":{"y":1}}'),
        good.replace(b"}", b',"x":"\xc3\xa9"}'),
        good.replace(b"}", b',"ts":"2026-11-22T13:00:01Z"}'),
        good + b"x",
    ]
    accepted, *_ = scan_clicks(b"\n".join([good, *deferred]))
    assert accepted.tolist() == [True] + [False] * len(deferred)
