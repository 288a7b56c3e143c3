"""Columnar JSON-lines parsing: the whole buffer at once, malformed lines set apart by number."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

import orjson
import polars as pl

from vitrina.contracts.probe import probe_json_types
from vitrina.contracts.registry import contract_for

__all__ = ["BAD_SCHEMA", "ParsedBatch", "parse_jsonl"]

log = logging.getLogger(__name__)

BAD_SCHEMA = pl.Schema(
    {"_line": pl.Int64, "payload": pl.String, "reason": pl.String, "origin": pl.String}
)
_LINE = "_line"
_BLANK = re.compile(rb"(?:^|\n)[ \t\r]*(?:\n|$)")
_LEAF = 32


@dataclass(frozen=True)
class ParsedBatch:
    """Parsed JSON lines.

    ``frame``: the records, raw columns as JSON gave them plus the 1-based ``_line``;
    ``bad``: the lines that are not JSON objects (``_line``, ``payload``, ``reason``, ``origin``).
    """

    entity: str
    origin: str
    frame: pl.DataFrame
    bad: pl.DataFrame

    @property
    def total(self) -> int:
        """Non-blank lines seen."""
        return self.frame.height + self.bad.height


def _read(chunk: bytes) -> pl.DataFrame:
    return pl.read_ndjson(io.BytesIO(chunk), infer_schema_length=None)


def _line_error(line: bytes) -> str | None:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return f"malformed JSON: {exc}"
    if not isinstance(value, dict):
        return f"malformed JSON: expected an object, got {type(value).__name__}"
    try:
        _read(line)
    except Exception as exc:  # polars rejects what orjson took: still not a usable record
        return f"malformed JSON: {str(exc).splitlines()[0][:200]}"
    return None


def _bisect(
    lines: list[bytes],
    numbers: list[int],
    frames: list[pl.DataFrame],
    bad: list[tuple[int, bytes, str]],
) -> None:
    """Parse ``lines`` columnar; where that fails, halve until the bad lines stand alone."""
    try:
        frame = _read(b"\n".join(lines))
    except Exception:
        frame = None
    if frame is not None and frame.height == len(lines):
        frames.append(frame.with_columns(pl.Series(_LINE, numbers, dtype=pl.Int64)))
        return
    if len(lines) <= _LEAF:
        good: list[int] = []
        for i, line in enumerate(lines):
            reason = _line_error(line)
            if reason is None:
                good.append(i)
            else:
                bad.append((numbers[i], line, reason))
        try:
            parts = [_read(b"\n".join(lines[i] for i in good))] if good else []
        except Exception:  # each line parses alone but not together (nested shapes differ)
            parts = [_read(lines[i]) for i in good]
        if parts:
            frame = _combine(parts)
            frames.append(
                frame.with_columns(pl.Series(_LINE, [numbers[i] for i in good], dtype=pl.Int64))
            )
        return
    mid = len(lines) // 2
    _bisect(lines[:mid], numbers[:mid], frames, bad)
    _bisect(lines[mid:], numbers[mid:], frames, bad)


def _combine(frames: list[pl.DataFrame]) -> pl.DataFrame:
    if len(frames) == 1:
        return frames[0]
    try:
        return pl.concat(frames, how="diagonal_relaxed")
    except Exception:
        # Nested values of different shapes in one column: keep them as text.
        columns = {c for f in frames for c in f.columns}
        shapes = {c: {f.schema[c] for f in frames if c in f.columns} for c in columns}
        clash = [c for c, s in shapes.items() if len(s) > 1]
        fixed = [f.with_columns([_as_text(f, c) for c in clash if c in f.columns]) for f in frames]
        return pl.concat(fixed, how="diagonal_relaxed")


def _as_text(frame: pl.DataFrame, column: str) -> pl.Expr:
    dtype = frame.schema[column]
    if isinstance(dtype, pl.Struct):
        return pl.col(column).struct.json_encode()
    if isinstance(dtype, pl.List | pl.Array):
        return pl.col(column).map_elements(
            lambda v: orjson.dumps(v.to_list()).decode(), return_dtype=pl.String
        )
    return pl.col(column).cast(pl.String)


def parse_jsonl(data: bytes, entity: str, origin: str) -> ParsedBatch:
    """Parse JSON lines of ``entity`` from ``origin`` (file or topic); never raises on bad input."""
    contract = contract_for(entity)
    body = data.rstrip(b" \t\r\n")
    bad: list[tuple[int, bytes, str]] = []
    if not body:
        frame = pl.DataFrame(schema={_LINE: pl.Int64})
    else:
        frame_or_none: pl.DataFrame | None = None
        if _BLANK.search(body) is None:
            try:
                frame_or_none = _read(body)
            except Exception as exc:
                log.debug("%s: columnar parse failed (%s); isolating bad lines", origin, exc)
        if frame_or_none is not None and frame_or_none.height == body.count(b"\n") + 1:
            frame = frame_or_none.with_columns(
                pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias(_LINE)
            )
        else:
            all_lines = body.split(b"\n")
            numbers = [i + 1 for i, line in enumerate(all_lines) if line.strip()]
            lines = [all_lines[n - 1] for n in numbers]
            frames: list[pl.DataFrame] = []
            _bisect(lines, numbers, frames, bad)
            frame = (
                _combine(frames).sort(_LINE) if frames else pl.DataFrame(schema={_LINE: pl.Int64})
            )
    frame = probe_json_types(contract, frame, body)
    bad_frame = pl.DataFrame(
        {
            _LINE: [b[0] for b in sorted(bad)],
            "payload": [b[1].decode("utf-8", errors="replace") for b in sorted(bad)],
            "reason": [b[2] for b in sorted(bad)],
            "origin": [origin] * len(bad),
        },
        schema=BAD_SCHEMA,
    )
    if bad:
        log.info("%s: %d malformed lines of %d", origin, len(bad), len(bad) + frame.height)
    return ParsedBatch(entity=entity, origin=origin, frame=frame, bad=bad_frame)
