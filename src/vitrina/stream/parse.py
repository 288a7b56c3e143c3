"""Columnar parsing of click JSON lines into the engine's arrays, bad lines set apart.

The window needs three fields of a click: ``product_id`` (a positive JSON integer),
``event_type`` (view|click|add_to_cart|purchase) and ``ts`` (ISO-8601 UTC with ``Z``, inside the
accepted range of instants). These are judged as ingest judges them: the same normalisation
first (:mod:`vitrina.contracts.normalise`: text trimmed, the event type lower-cased, so
``" CLICK "`` is a click), then the rules of the clicks contract; when a key is repeated in a
line, its first value counts (as in ingest), whatever the other lines hold. The other fields of
a click are the ingest's business. A line that is not a JSON object is *malformed*; an object
that breaks one of those three rules is a *contract violation*. Both are returned with their
1-based line number and reason, for the dead letters, never raised.

Two paths give the same results. The fast one (:mod:`vitrina.stream.scan`, compiled) reads the
lines it can prove clean and valid and defers every other line to the general one, which
parses the whole buffer at once with polars and a typed schema, and only when that fails (a bad
line somewhere in it) parses lines one by one to find the bad ones and their reasons.
"""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson
import polars as pl

from vitrina.contracts import EVENT_TYPES
from vitrina.contracts.normalise import normalise_code, normalise_text
from vitrina.contracts.types import OUTSIDE_RANGE
from vitrina.stream.scan import CLICK_CODE, scan_clicks
from vitrina.timeutil import END_INSTANT_MS, MIN_INSTANT_MS

__all__ = [
    "MALFORMED",
    "VIOLATION",
    "ParsedClicks",
    "parse_clicks",
    "parse_clicks_general",
    "split_lines",
    "warm_up",
]

log = logging.getLogger(__name__)

MALFORMED = "malformed"
VIOLATION = "contract"
_SCHEMA = {"product_id": pl.Int64, "event_type": pl.String, "ts": pl.String}
_TS_FORMAT = "%Y-%m-%dT%H:%M:%S%.fZ"
_EVENT_TYPES = sorted(EVENT_TYPES)
_FIELDS = tuple(f'"{name}"'.encode() for name in _SCHEMA)


@dataclass(frozen=True)
class ParsedClicks:
    """Valid events in arrival order, and the bad lines (number, kind, reason)."""

    ts_ms: npt.NDArray[np.int64]
    product_id: npt.NDArray[np.int64]
    is_click: npt.NDArray[np.bool_]
    line: npt.NDArray[np.int64]  # 1-based line number of each valid event
    bad_line: list[int]
    bad_kind: list[str]  # MALFORMED or VIOLATION
    bad_reason: list[str]
    lines_total: int  # non-blank lines seen
    count_lines: int  # lines of the buffer, blank ones included

    @property
    def count_malformed(self) -> int:
        return sum(1 for k in self.bad_kind if k == MALFORMED)

    @property
    def count_violations(self) -> int:
        return sum(1 for k in self.bad_kind if k == VIOLATION)


def split_lines(data: bytes) -> list[bytes]:
    """Lines of a buffer, line ``n`` at index ``n - 1`` (for dead-letter payloads)."""
    return data.split(b"\n")


def warm_up() -> None:
    """Compile (or load from numba's cache) the fast path before the first real batch."""
    scan_clicks(b'{"product_id":1,"event_type":"click","ts":"2026-01-01T00:00:00Z"}')


def parse_clicks(data: bytes) -> ParsedClicks:
    """Parse a buffer of JSON lines (see the module docstring); never raises on bad input."""
    body = data[:-1] if data.endswith(b"\n") else data
    accepted, pid, ts, code = scan_clicks(body)
    n = len(accepted)
    if accepted.all():
        line = np.arange(1, n + 1, dtype=np.int64)
        return ParsedClicks(ts, pid, code == CLICK_CODE, line, [], [], [], n, n)
    deferred = np.flatnonzero(~accepted)
    lines = body.split(b"\n")
    rest = parse_clicks_general(b"\n".join([lines[i] for i in deferred.tolist()]))
    ok = np.flatnonzero(accepted)
    # Back to this buffer's line numbers (the deferred lines keep their order), then merge.
    rest_line = deferred[rest.line - 1] + 1
    merged = np.argsort(np.concatenate([ok + 1, rest_line]), kind="stable")
    return ParsedClicks(
        ts_ms=np.concatenate([ts[ok], rest.ts_ms])[merged],
        product_id=np.concatenate([pid[ok], rest.product_id])[merged],
        is_click=np.concatenate([code[ok] == CLICK_CODE, rest.is_click])[merged],
        line=np.concatenate([ok + 1, rest_line])[merged],
        bad_line=(deferred[np.array(rest.bad_line, dtype=np.int64) - 1] + 1).tolist(),
        bad_kind=rest.bad_kind,
        bad_reason=rest.bad_reason,
        lines_total=len(ok) + rest.lines_total,
        count_lines=n,
    )


def parse_clicks_general(data: bytes) -> ParsedClicks:
    """The general path of :func:`parse_clicks`: any input, every bad line with its reason."""
    body = data[:-1] if data.endswith(b"\n") else data
    count_lines = body.count(b"\n") + 1
    if not body.strip():
        z = np.zeros(0, dtype=np.int64)
        return ParsedClicks(z, z, np.zeros(0, dtype=np.bool_), z, [], [], [], 0, count_lines)
    frame: pl.DataFrame | None = None
    if b"\n\n" not in body and not body.startswith(b"\n") and b"\r" not in body:
        try:
            frame = pl.read_ndjson(io.BytesIO(body), schema=_SCHEMA)
        except Exception as exc:  # a malformed or mistyped line: find it the slow way
            log.debug("columnar parse failed (%s); parsing line by line", exc)
            frame = None
        if frame is not None and frame.height != count_lines:
            frame = None
    if frame is not None:
        frame = frame.with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("line"))
        frame = frame.with_columns(pl.lit(None, pl.String).alias("pre"))
        result = _checked(frame, [], [], [], frame.height, count_lines)
        if not result.bad_line:
            return result
        # polars reads any JSON value into a string column (1 becomes "1"): the reasons of the
        # bad lines come from the exact path, so they never depend on the rest of the buffer.
        lines = body.split(b"\n")
        exact = _slow(b"\n".join([lines[n - 1] for n in result.bad_line]), len(result.bad_line))
        if len(exact.bad_line) == len(result.bad_line) and len(exact.line) == 0:
            return replace(result, bad_kind=exact.bad_kind, bad_reason=exact.bad_reason)
    return _slow(body, count_lines)


def _slow(body: bytes, count_lines: int) -> ParsedClicks:
    bad_line: list[int] = []
    bad_kind: list[str] = []
    bad_reason: list[str] = []
    cols: dict[str, list[Any]] = {
        "product_id": [],
        "event_type": [],
        "ts": [],
        "line": [],
        "pre": [],
    }
    total = 0
    for number, raw in enumerate(body.split(b"\n"), start=1):
        if not raw.strip():
            continue
        total += 1
        try:
            obj = _load(raw)
        except orjson.JSONDecodeError as exc:
            bad_line.append(number)
            bad_kind.append(MALFORMED)
            bad_reason.append(f"malformed JSON: {exc}")
            continue
        if not isinstance(obj, dict):
            bad_line.append(number)
            bad_kind.append(MALFORMED)
            bad_reason.append(f"malformed JSON: expected an object, got {type(obj).__name__}")
            continue
        pre: list[str] = []
        pid = obj.get("product_id")
        if pid is not None and (not isinstance(pid, int) or isinstance(pid, bool)):
            pre.append(
                f"product_id: expected an integer, got JSON {orjson.dumps(pid).decode()[:40]}"
            )
            pid = None
        et = obj.get("event_type")
        if et is not None and not isinstance(et, str):
            pre.append(f"event_type: expected a string, got JSON {orjson.dumps(et).decode()[:40]}")
            et = None
        ts = obj.get("ts")
        if ts is not None and not isinstance(ts, str):
            pre.append(f"ts: expected a string, got JSON {orjson.dumps(ts).decode()[:40]}")
            ts = None
        if isinstance(pid, int) and not -(2**63) <= pid < 2**63:
            pre.append("product_id: out of range")
            pid = None
        cols["product_id"].append(pid)
        cols["event_type"].append(et)
        cols["ts"].append(ts)
        cols["line"].append(number)
        cols["pre"].append("; ".join(pre) if pre else None)
    frame = pl.DataFrame(
        cols,
        schema={
            "product_id": pl.Int64,
            "event_type": pl.String,
            "ts": pl.String,
            "line": pl.Int64,
            "pre": pl.String,
        },
    )
    return _checked(frame, bad_line, bad_kind, bad_reason, total, count_lines)


def _first_value(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        out.setdefault(key, value)
    return out


def _json_int(text: str) -> int | float:
    value = int(text)
    return value if -(2**63) <= value < 2**64 else float(value)  # as orjson reads it


def _load(raw: bytes) -> Any:
    """One line's JSON value; a key repeated at the top level keeps its first value.

    orjson keeps the last one, polars (the columnar path, and ingest) the first: lines where a
    field may repeat (its key twice, or an escape that may spell it) are read again keeping the
    first, with orjson's numbers, so the verdict never depends on which path read the line.
    """
    obj = orjson.loads(raw)
    if isinstance(obj, dict) and (b"\\" in raw or any(raw.count(k) > 1 for k in _FIELDS)):
        obj = json.loads(raw, object_pairs_hook=_first_value, parse_int=_json_int)
    return obj


def _checked(
    frame: pl.DataFrame,
    bad_line: list[int],
    bad_kind: list[str],
    bad_reason: list[str],
    total: int,
    count_lines: int,
) -> ParsedClicks:
    ts_text = normalise_text(pl.col("ts"))
    ts = ts_text.str.to_datetime(_TS_FORMAT, time_unit="ms", time_zone="UTC", strict=False)
    ts_ms = ts.dt.epoch("ms")
    pid, et = pl.col("product_id"), normalise_code(pl.col("event_type"))
    reasons = pl.concat_str(
        [
            pl.col("pre"),
            pl.when(pid.is_null() & pl.col("pre").is_null()).then(pl.lit("product_id: missing")),
            pl.when(pid <= 0).then(pl.format("product_id: must be > 0, got {}", pid)),
            pl.when(et.is_null() & ~pl.col("pre").fill_null("").str.contains("event_type")).then(
                pl.lit("event_type: missing")
            ),
            pl.when(et.is_not_null() & ~et.is_in(_EVENT_TYPES)).then(
                pl.format("event_type: {} not in " + "|".join(_EVENT_TYPES), et)
            ),
            pl.when(pl.col("ts").is_null() & ~pl.col("pre").fill_null("").str.contains("ts:")).then(
                pl.lit("ts: missing")
            ),
            pl.when(pl.col("ts").is_not_null() & ts.is_null()).then(
                pl.format("ts: {} is not an ISO-8601 UTC timestamp", pl.col("ts").str.slice(0, 40))
            ),
            pl.when((ts_ms < MIN_INSTANT_MS) | (ts_ms >= END_INSTANT_MS)).then(
                pl.format(f"ts: {{}} is {OUTSIDE_RANGE}", ts_text.str.slice(0, 40))
            ),
        ],
        separator="; ",
        ignore_nulls=True,
    )
    checked = frame.select(
        pl.col("line"),
        ts_ms.alias("ts_ms"),
        pid,
        (et == "click").alias("is_click"),
        pl.when(reasons != "").then(reasons).alias("reason"),
    )
    bad = checked.filter(pl.col("reason").is_not_null())
    if bad.height:
        bad_line = bad_line + bad.get_column("line").to_list()
        bad_kind = bad_kind + [VIOLATION] * bad.height
        bad_reason = bad_reason + bad.get_column("reason").to_list()
        checked = checked.filter(pl.col("reason").is_null())
    if len(bad_line) > 1:
        order = sorted(range(len(bad_line)), key=bad_line.__getitem__)
        bad_line = [bad_line[i] for i in order]
        bad_kind = [bad_kind[i] for i in order]
        bad_reason = [bad_reason[i] for i in order]
    return ParsedClicks(
        ts_ms=checked.get_column("ts_ms").to_numpy().astype(np.int64, copy=False),
        product_id=checked.get_column("product_id").to_numpy().astype(np.int64, copy=False),
        is_click=checked.get_column("is_click").to_numpy().astype(np.bool_, copy=False),
        line=checked.get_column("line").to_numpy().astype(np.int64, copy=False),
        bad_line=bad_line,
        bad_kind=bad_kind,
        bad_reason=bad_reason,
        lines_total=total,
        count_lines=count_lines,
    )
